// SPDX-License-Identifier: GPL-3.0-or-later
#include "budget_bar.h"
#include "amount_text.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <cmath>

#include "core/error.h"
#include "jobs/budget.h"

namespace hgq::gui {

BudgetBar::BudgetBar(const QString& resources, QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 0, 4, 0);
    mode_ = new QComboBox;
    mode_->addItems({tr("No budget"), tr("EBOPs"), tr("LUTs"), tr("FPGA part")});
    mode_->setToolTip(tr("Draw a resource budget on the Pareto plot"));
    amount_ = new QLineEdit;
    amount_->setPlaceholderText(tr("e.g. 5000"));
    amount_->setMaximumWidth(90);
    part_ = new QComboBox;
    percent_ = new QDoubleSpinBox;
    percent_->setRange(0.01, 100);
    percent_->setDecimals(2);
    percent_->setValue(2);
    percent_->setSuffix(tr(" % of LUTs"));
    note_ = new QLabel;
    best_ = new QPushButton(tr("Best under budget"));
    best_->setToolTip(tr("Select the most accurate point within the budget"));
    for (QWidget* w : {static_cast<QWidget*>(new QLabel(tr("Budget:"))), static_cast<QWidget*>(mode_),
                       static_cast<QWidget*>(amount_), static_cast<QWidget*>(part_),
                       static_cast<QWidget*>(percent_), static_cast<QWidget*>(note_),
                       static_cast<QWidget*>(best_)})
        row->addWidget(w);
    const QString file = resources + "/parts.json";
    try {
        parts_ = load_fpga_parts(file.toStdString());
    } catch (const Error& e) {
        part_->setToolTip(QString::fromUtf8(e.what()));  // the part mode stays empty, said why
    }
    const QLocale loc;
    for (const FpgaPart& p : parts_)
        part_->addItem(QStringLiteral("%1 (%2, %3 LUTs)")
                           .arg(QString::fromStdString(p.name), QString::fromStdString(p.series),
                                loc.toString(qint64(p.luts))),
                       QString::fromStdString(p.name));
    connect(mode_, &QComboBox::currentIndexChanged, this, &BudgetBar::update);
    connect(amount_, &QLineEdit::textChanged, this, &BudgetBar::update);
    connect(part_, &QComboBox::currentIndexChanged, this, &BudgetBar::update);
    connect(percent_, &QDoubleSpinBox::valueChanged, this, &BudgetBar::update);
    connect(best_, &QPushButton::clicked, this, &BudgetBar::bestRequested);
    update();
}

void BudgetBar::setFit(const widgets::PowerFitView& fit) {
    if (fit.valid == fit_.valid && fit.coefficient == fit_.coefficient &&
        fit.exponent == fit_.exponent)
        return;
    fit_ = fit;
    update();
}

// The study's calibration, or HGQ's default fit (LUTs = EBOPs^0.985) — the engine's LutFit does
// the arithmetic, as for hgq pareto --budget-luts.
static jobs::LutFit fit_of(const widgets::PowerFitView& v) {
    jobs::LutFit f;
    f.fit = v.valid ? PowerLaw{v.coefficient, v.exponent, v.r2, v.points} : PowerLaw{1.0, 0.985, 0, 0};
    return f;
}

double BudgetBar::ebopsForLuts(double luts) const { return fit_of(fit_).ebops_for(luts); }

double BudgetBar::lutsForEbops(double ebops) const { return fit_of(fit_).luts_for(ebops); }

void BudgetBar::showMode() {
    const int m = mode_->currentIndex();
    amount_->setVisible(m == Ebops || m == Luts);
    part_->setVisible(m == Part);
    percent_->setVisible(m == Part);
    best_->setEnabled(m != None);
}

void BudgetBar::update() {
    showMode();
    const QLocale loc;
    widgets::BudgetView b;
    const int m = mode_->currentIndex();
    bool ok = false;  // anything but a number > 0 is said to be wrong
    const double value = amount_from_text(amount_->text(), &ok);
    const bool amount_ok = ok && std::isfinite(value) && value > 0;
    QString why;
    if (m == Ebops || m == Luts) {
        amount_->setStyleSheet(amount_ok || amount_->text().isEmpty() ? QString()
                                                                      : "color: #c00");
        if (amount_ok) {
            b.active = true;
            b.ebops = m == Ebops ? value : ebopsForLuts(value);
            b.luts = m == Luts ? value : lutsForEbops(value);
            b.label = m == Ebops ? tr("%1 EBOPs").arg(loc.toString(qint64(std::llround(value))))
                                 : tr("%1 LUTs").arg(loc.toString(qint64(std::llround(value))));
        } else if (!amount_->text().isEmpty()) {
            why = tr("a number > 0");
        }
    } else if (m == Part && part_->currentIndex() >= 0) {
        const FpgaPart& p = parts_[size_t(part_->currentIndex())];
        b.active = true;
        b.luts = std::floor(double(p.luts) * percent_->value() / 100);
        b.ebops = ebopsForLuts(b.luts);
        b.label = tr("%1 · %2 % of LUTs = %3 LUTs")
                      .arg(QString::fromStdString(p.name), loc.toString(percent_->value(), 'g', 4),
                           loc.toString(qint64(b.luts)));
    }
    const bool via_fit = b.active && m != Ebops;
    note_->setText(!why.isEmpty() ? "<span style='color:#c00'>" + why + "</span>"
                   : via_fit      ? (fit_.valid ? tr("≈ %1 EBOPs (%2 fit)")
                                                      .arg(loc.toString(qint64(std::llround(b.ebops))))
                                                      .arg(fit_.family)
                                                : tr("≈ %1 EBOPs (default fit)")
                                                      .arg(loc.toString(qint64(std::llround(b.ebops)))))
                                  : QString());
    budget_ = b;
    emit budgetChanged(b);
}

}  // namespace hgq::gui
