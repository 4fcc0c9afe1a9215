// SPDX-License-Identifier: GPL-3.0-or-later
// The budget toolbar: "no budget", a number of EBOPs or LUTs, or an FPGA part with a share of
// its LUTs ("xcvu9p · 2 %"). It resolves the budget to both costs — LUTs through the study's LUT
// calibration, or HGQ's default fit when the study has none, as `hgq pareto --budget-luts` does —
// and offers "Best under budget".
#pragma once
#include <QWidget>
#include <vector>

#include "cost/fpga_parts.h"
#include "plot_data.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace hgq::gui {

class BudgetBar : public QWidget {
    Q_OBJECT
  public:
    enum Mode { None, Ebops, Luts, Part };
    explicit BudgetBar(const QString& resources, QWidget* parent = nullptr);
    // The study's calibration (invalid: the default fit).
    void setFit(const widgets::PowerFitView& fit);
    widgets::BudgetView budget() const { return budget_; }

    QComboBox* modeBox() const { return mode_; }
    QLineEdit* amountEdit() const { return amount_; }
    QComboBox* partBox() const { return part_; }
    QDoubleSpinBox* percentBox() const { return percent_; }
    QPushButton* bestButton() const { return best_; }

  signals:
    void budgetChanged(const widgets::BudgetView& budget);
    void bestRequested();

  private:
    void update();
    void showMode();
    double ebopsForLuts(double luts) const;
    double lutsForEbops(double ebops) const;

    std::vector<FpgaPart> parts_;
    widgets::PowerFitView fit_;
    widgets::BudgetView budget_;
    QComboBox *mode_, *part_;
    QLineEdit* amount_;
    QDoubleSpinBox* percent_;
    QLabel* note_;
    QPushButton* best_;
};

}  // namespace hgq::gui
