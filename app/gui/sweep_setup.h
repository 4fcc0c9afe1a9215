// SPDX-License-Identifier: GPL-3.0-or-later
// The sweep setup dock: a preset (the bundled examples or any config file), an optional data
// file with its label column, the model's layers, quantization, training and what steers β: a
// β grid, or EBOPs targets for the β controller (one run each, a geometric range). Every
// edit re-validates with the engine's strict parser; errors show inline, in red, naming the
// field — never as a crash or a modal box.
#pragma once
#include "cluster/slurm.h"
#include "jobs/sweep_plan.h"
#include <QWidget>
#include <nlohmann/json.hpp>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace hgq::gui {

struct SweepRequest {
    jobs::SweepPlan plan;  // the runs, each config parsed
    nlohmann::json base;   // the form's config, as submitted
    int parallel = 1;
    bool cluster = false;  // a SLURM job array instead of this machine's workers
    cluster::SbatchOptions sbatch;
};

class SweepSetup : public QWidget {
    Q_OBJECT
  public:
    explicit SweepSetup(const QString& resources, QWidget* parent = nullptr);
    void loadConfig(const QString& path);  // fills every field from a config file
    bool valid() const { return valid_; }
    QString error() const;
    SweepRequest request() const;  // the runs to create (valid() must hold)

    // For tests and scripting: the form's fields.
    QSpinBox* epochsBox() const { return epochs_; }
    QLineEdit* learningRate() const { return lr_; }
    QLineEdit* betaFrom() const { return beta_from_; }
    QLineEdit* betaTo() const { return beta_to_; }
    QSpinBox* runsBox() const { return count_; }
    QSpinBox* parallelBox() const { return parallel_; }
    QComboBox* presetBox() const { return preset_; }
    QPushButton* startButton() const { return start_; }
    QPlainTextEdit* modelEdit() const { return model_; }
    QComboBox* runOnBox() const { return run_on_; }
    QComboBox* steerBox() const { return steer_; }  // 0: β range, 1: EBOPs targets
    QLineEdit* targetFrom() const { return target_from_; }
    QLineEdit* targetTo() const { return target_to_; }
    QLineEdit* partitionEdit() const { return partition_; }
    QLineEdit* timeEdit() const { return time_; }
    QSpinBox* cpusBox() const { return cpus_; }
    QSpinBox* maxParallelBox() const { return max_parallel_; }

  signals:
    void startRequested();

  private:
    void build();
    QWidget* buildData();
    QWidget* buildTraining();
    QWidget* buildRunOn();  // sweep_setup_cluster.cpp
    void buildSteer(QFormLayout* form);  // sweep_setup_target.cpp
    void showSteer();
    jobs::SweepPlan planRuns(const nlohmann::json& base) const;
    void readRunOn(SweepRequest& r) const;
    void showRunOn();
    void choosePreset(int index);
    void chooseDataFile();
    void validate();
    nlohmann::json config() const;  // the form as an experiment config

    QString resources_, config_file_;
    nlohmann::json base_;  // the loaded config; the form overrides its fields
    QComboBox *preset_, *label_column_, *w_gran_, *a_gran_, *shape_;
    QLineEdit *data_file_, *beta_from_, *beta_to_, *gamma_;
    QPlainTextEdit* model_;
    QSpinBox *epochs_, *batch_, *count_, *parallel_, *w_bits_, *a_bits_;
    QLineEdit* lr_;
    QLabel* status_;
    QPushButton* start_;
    QComboBox* run_on_ = nullptr;
    QComboBox* steer_ = nullptr;
    QLineEdit *target_from_ = nullptr, *target_to_ = nullptr;
    QFormLayout* training_form_ = nullptr;
    QWidget* cluster_box_ = nullptr;
    QLineEdit *partition_ = nullptr, *time_ = nullptr;
    QSpinBox *cpus_ = nullptr, *max_parallel_ = nullptr;
    bool valid_ = false;
    bool loading_ = false;
};

}  // namespace hgq::gui
