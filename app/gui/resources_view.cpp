// SPDX-License-Identifier: GPL-3.0-or-later
#include "resources_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hgq::gui {
namespace {
QTableWidgetItem* number(double v, int decimals = 0) {
    auto* item = new QTableWidgetItem;
    item->setData(Qt::DisplayRole, decimals ? QVariant(QString::number(v, 'f', decimals))
                                            : QVariant(qlonglong(std::llround(v))));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}
QString percent(qint64 part, qint64 whole) {
    return whole ? QString::number(100.0 * double(part) / double(whole), 'f', 1) + " %" : "–";
}
}  // namespace

ResourcesView::ResourcesView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    title_ = new QLabel(tr("Select a point on the Pareto plot"));
    title_->setWordWrap(true);
    table_ = new QTableWidget(0, 7);
    table_->setHorizontalHeaderLabels({tr("layer"), tr("exact EBOPs"), tr("LUT est."),
                                       tr("weights pruned"), tr("outputs pruned"),
                                       tr("weight type"), tr("output types")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    export_ = new QPushButton(QIcon::fromTheme("document-save"), tr("Export…"));
    export_->setEnabled(false);
    export_->setToolTip(tr("A Vitis HLS project of this point, bit-exact, with its testbench"));
    summary_ = new QPushButton(tr("Summary JSON…"));
    summary_->setEnabled(false);
    summary_->setToolTip(tr("The point's provenance, config, types and bits as JSON"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(summary_);
    buttons->addWidget(export_, 1);
    layout->addWidget(title_);
    layout->addWidget(table_);
    layout->addLayout(buttons);
    connect(export_, &QPushButton::clicked, this, &ResourcesView::exportRequested);
    connect(summary_, &QPushButton::clicked, this, &ResourcesView::summaryRequested);
}

void ResourcesView::setDetails(const PointDetails* d) {
    table_->setRowCount(0);
    export_->setEnabled(d != nullptr && d->point.id > 0);
    summary_->setEnabled(d != nullptr);
    if (!d) {
        title_->setText(tr("Select a point on the Pareto plot"));
        return;
    }
    const widgets::PointView& p = d->point;
    // Once synthesized, the yosys count replaces the estimate (never both side by side).
    const QLocale loc;
    const QString luts = p.luts_synth > 0
                             ? tr("%1 LUTs (yosys)").arg(loc.toString(qlonglong(p.luts_synth)))
                             : tr("≈ %1 LUTs (estimate)").arg(loc.toString(qlonglong(std::llround(p.lut))));
    title_->setText(tr("<b>Point %1</b> · run %2 · epoch %3 · test %4 % (integer model) · "
                       "%5 exact EBOPs · %6")
                        .arg(p.id)
                        .arg(p.run)
                        .arg(p.epoch)
                        .arg(100 * p.test_accuracy, 0, 'f', 2)
                        .arg(loc.toString(qlonglong(p.ebops)))
                        .arg(luts));
    table_->setRowCount(int(d->resources.size()));
    for (int r = 0; r < d->resources.size(); ++r) {
        const ResourceRow& x = d->resources[r];
        table_->setItem(r, 0, new QTableWidgetItem(x.layer));
        table_->setItem(r, 1, number(double(x.ebops)));
        table_->setItem(r, 2, number(x.lut));
        table_->setItem(r, 3, new QTableWidgetItem(percent(x.pruned_weights, x.weights)));
        table_->setItem(r, 4, new QTableWidgetItem(percent(x.pruned_outputs, x.outputs)));
        table_->setItem(r, 5, new QTableWidgetItem(x.weight_type));
        table_->setItem(r, 6, new QTableWidgetItem(x.out_types));
    }
}

}  // namespace hgq::gui
