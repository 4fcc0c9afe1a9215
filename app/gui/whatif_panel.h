// SPDX-License-Identifier: GPL-3.0-or-later
// The What-if dock: per-tensor bit caps on the selected point. Each change is debounced, then a
// worker thread re-derives the integer model (deploy/whatif.h) and runs it on the test split:
// exact EBOPs and accuracy, shown here and as a star joined to its parent on the Pareto plot.
// "Save as point" stores the result as a derived point, which Export and Synthesize then take
// like any point. The worker keeps the point open (deployed, its data loaded), so an edit costs
// one pass over the test split.
#pragma once
#include <QThread>
#include <QTimer>
#include <QWidget>
#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QSpinBox;
class QGridLayout;

namespace hgq::gui {

class WhatIfPanel : public QWidget {
    Q_OBJECT
  public:
    explicit WhatIfPanel(const QString& resources, QWidget* parent = nullptr);
    ~WhatIfPanel() override;
    // The point edited (0: none). Opened in the worker when the panel is shown.
    void setPoint(const QString& study, qint64 point);
    // The cap spin box of a tensor ("dense1.weights"), or null; −1 = no cap.
    QSpinBox* capBox(const QString& tensor) const;
    QPushButton* saveButton() const { return save_; }
    QLabel* resultLabel() const { return result_; }
    bool busy() const { return pending_ > 0; }

  signals:
    // A what-if result: parent 0 clears the preview.
    void preview(qint64 parent, double ebops, double test_accuracy);
    void saved(qint64 point);

  protected:
    void showEvent(QShowEvent* e) override;

  private:
    struct State;  // lives in the worker thread
    void open();
    void opened(qint64 point, const QStringList& tensors, const QVector<int>& max_bits,
                const QString& error);
    void evaluate();
    void evaluated(quint64 generation, double ebops, double acc, const QString& text,
                   const QString& error);
    void save();
    QStringList edits() const;  // "--max-bits" arguments of the caps set
    void post(std::function<void()> job);

    QString resources_, study_;
    qint64 point_ = 0, opened_ = 0;
    QLabel *title_, *result_;
    QGridLayout* caps_;
    QVector<QPair<QString, QSpinBox*>> boxes_;
    QPushButton *save_, *reset_;
    QTimer debounce_;
    QThread thread_;
    QObject* worker_ = nullptr;        // lives in thread_: runs the jobs posted to it
    std::unique_ptr<State> state_;     // touched by the worker's jobs only
    std::atomic<quint64> generation_{0};
    int pending_ = 0;
};

}  // namespace hgq::gui
