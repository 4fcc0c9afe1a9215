// SPDX-License-Identifier: GPL-3.0-or-later
#include "compare_panel.h"

#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>

#include "compare_view.h"
#include "jobs/compare_job.h"

namespace hgq::gui {

struct ComparePanel::Result {
    widgets::ComparisonView view;
    qint64 disagree = -1;
};

namespace {

QVector<widgets::KernelView> kernels(const Deployment& d) {
    QVector<widgets::KernelView> out;
    for (const IntLayer& l : d.model.layers) {
        if (l.kind != IntLayer::Kind::Dense && l.kind != IntLayer::Kind::Conv) continue;
        widgets::KernelView k;
        k.layer = QString::fromStdString(l.name);
        k.rows = l.in, k.cols = l.out;
        k.codes = QVector<qint64>(l.w_code.begin(), l.w_code.end());
        k.f = QVector<int>(l.w_f.begin(), l.w_f.end());
        if (l.kind == IntLayer::Kind::Conv)
            k.kernel_h = l.geom.kh, k.kernel_w = l.geom.kw, k.in_c = l.geom.in_c;
        out.push_back(k);
    }
    return out;
}

QString side_text(const jobs::PointSide& s) {
    const QLocale loc;
    QString t = QObject::tr("point %1: %2 % test accuracy, %3 EBOPs, ≈ %4 LUTs")
                    .arg(s.point.id)
                    .arg(100 * s.test_accuracy, 0, 'f', 2)
                    .arg(loc.toString(qlonglong(s.deployment.ebops)))
                    .arg(loc.toString(qlonglong(std::llround(s.deployment.lut_estimate))));
    if (s.luts_synth >= 0)
        t += QObject::tr(" (%1 synthesized)").arg(loc.toString(qlonglong(s.luts_synth)));
    if (s.point.derived()) t += QObject::tr(", derived from point %1").arg(s.point.parent_id);
    return t;
}

widgets::ComparisonView to_view(const jobs::PointComparison& c) {
    widgets::ComparisonView v;
    v.label_a = QObject::tr("point %1").arg(c.a.point.id);
    v.label_b = QObject::tr("point %1").arg(c.b.point.id);
    QString flips =
        c.disagree < 0
            ? QObject::tr("trained on different data: no shared test sample")
            : QObject::tr("%1 of %2 test samples classified differently (%3 %)")
                  .arg(c.disagree)
                  .arg(c.samples)
                  .arg(100.0 * double(c.disagree) / double(std::max<int64_t>(1, c.samples)), 0, 'f',
                       2);
    v.summary = QString(
                    "<b style='color:#285ab4'>■ A</b> %1<br><b style='color:#e67800'>■ B</b> "
                    "%2<br>%3 · confusion matrices: rows true class, columns predicted")
                    .arg(side_text(c.a).toHtmlEscaped(), side_text(c.b).toHtmlEscaped(), flips);
    for (const LayerReport& l : c.a.deployment.layers) {
        double b = 0;
        for (const LayerReport& r : c.b.deployment.layers)
            if (r.name == l.name) b = double(r.ebops);
        v.layers << QString::fromStdString(l.name);
        v.ebops_a << double(l.ebops);
        v.ebops_b << b;
    }
    for (const auto* side : {&c.a, &c.b})
        for (const LayerReport& l : side->deployment.layers)
            (side == &c.a ? v.bits_a : v.bits_b)
                .push_back({QString::fromStdString(l.name),
                            QVector<qint64>(l.weight_bits_hist.begin(), l.weight_bits_hist.end()),
                            QVector<qint64>(l.act_bits_hist.begin(), l.act_bits_hist.end())});
    v.kernels_a = kernels(c.a.deployment);
    v.kernels_b = kernels(c.b.deployment);
    for (const auto* side : {&c.a, &c.b}) {
        auto& m = side == &c.a ? v.confusion_a : v.confusion_b;
        for (const auto& row : side->confusion)
            m.push_back(QVector<qint64>(row.begin(), row.end()));
    }
    for (const auto& n : c.class_names) v.classes << QString::fromStdString(n);
    return v;
}

}  // namespace

ComparePanel::ComparePanel(const QString& resources, QWidget* parent)
    : QWidget(parent), resources_(resources), result_(std::make_unique<Result>()) {
    view_ = new widgets::CompareView;
    status_ = new QLabel;
    // Scrolled: the tab never widens the window's minimum (a laptop screen holds the window).
    auto* scroll = new QScrollArea;
    scroll->setWidget(view_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    view_->setMinimumSize(560, 520);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(status_);
    layout->addWidget(scroll, 1);
}

ComparePanel::~ComparePanel() {
    if (worker_.joinable()) worker_.join();
}

void ComparePanel::setPoints(const QString& study, qint64 a, qint64 b) {
    if (study == study_ && a == a_ && b == b_) return;
    study_ = study, a_ = a, b_ = b;
    disagree_ = -1;
    if (a <= 0 || b <= 0) {
        ++generation_;
        pending_ = false;
        status_->clear();
        view_->clear(a <= 0 ? tr("Select a point to compare")
                            : tr("Pin a point (Ctrl+Shift+P), then select another: the selected "
                                 "point (A) is compared with the pinned one (B)"));
        return;
    }
    start();
}

void ComparePanel::start() {
    if (busy_) {  // one comparison at a time: the newest request runs when this one ends
        pending_ = true;
        return;
    }
    if (worker_.joinable()) worker_.join();  // finished: done() has run
    const quint64 gen = ++generation_;
    busy_ = true;
    status_->setText(
        tr("Comparing point %1 with point %2 (deploying both, running the test split)…")
            .arg(a_)
            .arg(b_));
    worker_ = std::thread(
        [this, gen, study = study_.toStdString(), a = a_, b = b_, res = resources_.toStdString()] {
            QString error;
            try {
                store::Study s(study, store::Study::Open::ReadOnly);
                const jobs::PointComparison c = jobs::compare_points(s, a, b, res, 1);
                result_->view = to_view(c);
                result_->disagree = c.disagree;
            } catch (const std::exception& e) {
                error = QString::fromUtf8(e.what());
            }
            QMetaObject::invokeMethod(
                this, [this, gen, error] { done(gen, error); }, Qt::QueuedConnection);
        });
}

void ComparePanel::done(quint64 generation, const QString& error) {
    busy_ = false;
    if (pending_) {  // the user picked other points meanwhile
        pending_ = false;
        start();
        return;
    }
    if (generation != generation_) return;
    if (!error.isEmpty()) {
        status_->setText(error);
        view_->clear(tr("Could not compare"));
        return;
    }
    status_->setText(tr("A = selected, B = pinned"));
    disagree_ = result_->disagree;
    view_->setComparison(result_->view);
    emit compared(a_, b_, disagree_);
}

}  // namespace hgq::gui
