// SPDX-License-Identifier: GPL-3.0-or-later
// SweepSetup: what steers β — a β grid (each run's final β) or EBOPs targets for the β
// controller (each run steered to one target; a geometric range over the runs).
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

#include "amount_text.h"
#include "core/error.h"
#include "sweep_setup.h"

namespace hgq::gui {

void SweepSetup::buildSteer(QFormLayout* form) {
    steer_ = new QComboBox;
    steer_->addItems({tr("β range"), tr("EBOPs target (β controller)")});
    steer_->setToolTip(
        tr("β range: each run ends at its own β. Target: β is steered during training so the "
           "EBOPs settle on the target — one run per target, geometric from → to"));
    target_from_ = new QLineEdit(QStringLiteral("1000"));
    target_to_ = new QLineEdit(QStringLiteral("10000"));
    target_to_->setPlaceholderText(tr("one run: leave as is, Runs = 1"));
    form->addRow(tr("Steer by"), steer_);
    form->addRow(tr("Target EBOPs from"), target_from_);
    form->addRow(tr("Target EBOPs to"), target_to_);
    connect(steer_, &QComboBox::currentIndexChanged, this, [this] {
        showSteer();
        validate();
    });
    for (QLineEdit* e : {target_from_, target_to_})
        connect(e, &QLineEdit::textChanged, this, &SweepSetup::validate);
}

void SweepSetup::showSteer() {
    if (!training_form_) return;
    const bool target = steer_->currentIndex() == 1;
    training_form_->setRowVisible(target_from_, target);
    training_form_->setRowVisible(target_to_, target);
    training_form_->setRowVisible(beta_from_, !target);
    training_form_->setRowVisible(beta_to_, !target);
    training_form_->setRowVisible(shape_, !target);
}

// The runs the form asks for; an error names the field.
jobs::SweepPlan SweepSetup::planRuns(const nlohmann::json& base) const {
    const std::string file = config_file_.toStdString();
    if (steer_->currentIndex() == 1) {
        bool ok_from = false, ok_to = false;
        const double from = amount_from_text(target_from_->text(), &ok_from),
                     to = amount_from_text(target_to_->text(), &ok_to);
        if (!ok_from || (!ok_to && count_->value() > 1))
            throw Error::bad_input("target EBOPs", "is not a number", "e.g. 3000");
        if (!(from > 0) || (count_->value() > 1 && !(to > 0)))
            throw Error::bad_input("target EBOPs", "must be larger than 0", "e.g. 3000");
        return jobs::plan_targets(
            base, file, jobs::beta_grid(from, count_->value() > 1 ? to : from, count_->value(),
                                        "target EBOPs"));
    }
    const auto shape =
        shape_->currentIndex() == 0 ? jobs::BetaShape::Ramp : jobs::BetaShape::Constant;
    bool ok_from = false, ok_to = false;
    const double from = beta_from_->text().toDouble(&ok_from),
                 to = beta_to_->text().toDouble(&ok_to);
    if (!ok_from || !ok_to) throw Error::bad_input("β", "is not a number", "e.g. 1e-6");
    return jobs::plan_betas(base, file, jobs::beta_grid(from, to, count_->value(), "β range"),
                            shape);
}

}  // namespace hgq::gui
