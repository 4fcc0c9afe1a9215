// SPDX-License-Identifier: GPL-3.0-or-later
// The Compare dock: the selected point (A) against the pinned one (B). Both are opened, deployed
// and run on the test split by jobs::compare_points in a worker thread; the result fills the
// CompareView (per-layer EBOPs, the per-weight bit difference, both confusion matrices) and a
// summary with the test samples the two classify differently.
#pragma once
#include <QWidget>
#include <atomic>
#include <memory>
#include <thread>

class QLabel;
class QPushButton;

namespace hgq::widgets {
class CompareView;
}

namespace hgq::gui {

class ComparePanel : public QWidget {
    Q_OBJECT
  public:
    ComparePanel(const QString& resources, QWidget* parent = nullptr);
    ~ComparePanel() override;
    // The points to compare (0: none); the comparison runs when both are set.
    void setPoints(const QString& study, qint64 a, qint64 b);
    widgets::CompareView* view() const { return view_; }
    bool busy() const { return busy_; }
    qint64 disagree() const { return disagree_; }

  signals:
    void compared(qint64 a, qint64 b, qint64 disagree);

  private:
    void start();
    void done(quint64 generation, const QString& error);

    QString resources_, study_;
    qint64 a_ = 0, b_ = 0, disagree_ = -1;
    widgets::CompareView* view_;
    QLabel* status_;
    std::thread worker_;
    std::atomic<bool> busy_{false};
    bool pending_ = false;  // points changed while a comparison ran
    std::atomic<quint64> generation_{0};
    struct Result;
    std::unique_ptr<Result> result_;  // written by the worker, read in done()
};

}  // namespace hgq::gui
