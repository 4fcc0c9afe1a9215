// SPDX-License-Identifier: GPL-3.0-or-later
// Synthesis of the selected point with yosys: export as Verilog into STUDY.synth/point-ID, run
// synth_xilinx in a worker thread (busy bar, current pass, elapsed time, Cancel), store the
// LUT/CARRY/FF counts in the study. The study's change polling then updates every view.
#pragma once
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>
#include <atomic>
#include <mutex>
#include <thread>

#include "plot_data.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace hgq::gui {

class SynthPanel : public QWidget {
    Q_OBJECT
  public:
    explicit SynthPanel(QWidget* parent = nullptr);
    ~SynthPanel() override;  // cancels and waits: yosys never outlives the window

    void setStudy(const QString& study, const QString& resources);
    // The selected point (0: none), its exact EBOPs and its latest synthesis, if any.
    void setPoint(qint64 point, double ebops, const widgets::SynthPointView* synthesized);
    // Past syntheses of the study: their seconds per EBOP give the next one's ETA.
    void setHistory(const QVector<widgets::SynthPointView>& done);
    double estimatedSeconds() const;
    // The Pareto front's points not synthesized yet, with their exact EBOPs: "Synthesize front"
    // runs them one after another (smallest first: the calibration gets points early).
    void setFrontPending(const QVector<QPair<qint64, double>>& pending);
    void start();       // the selected point
    void startFront();  // every pending front point, in turn; Cancel stops the rest
    void cancel();
    bool busy() const { return busy_; }

    QPushButton* synthButton() const { return synth_; }
    QPushButton* frontButton() const { return front_; }
    QPushButton* cancelButton() const { return cancel_; }
    QComboBox* familyBox() const { return family_; }
    QLabel* resultLabel() const { return result_; }
    QLabel* statusLabel() const { return status_; }

  signals:
    void finished(bool ok, QString message);

  private:
    void startPoint(qint64 point, double ebops);
    void tick();
    void done(bool ok, const QString& message);
    void updateButtons();

    QString study_, resources_;
    qint64 point_ = 0;
    double ebops_ = 0;
    double eta_ = 0;  // seconds, fixed when a synthesis starts (the selection may move on)
    double seconds_per_ebop_ = 2e-3;  // measured on yosys 0.23 (digits points, 2 cores)
    bool yosys_ = false;
    QComboBox* family_;
    QPushButton *synth_, *cancel_, *front_;
    QVector<QPair<qint64, double>> pending_front_, queue_;
    int queue_total_ = 0;
    QProgressBar* progress_;
    QLabel *status_, *result_;
    QTimer tick_;
    QElapsedTimer clock_;
    std::thread worker_;
    std::atomic<bool> busy_{false}, stop_{false};
    std::mutex stage_mutex_;
    QString stage_;  // the yosys pass running now (worker writes, tick reads)
};

}  // namespace hgq::gui
