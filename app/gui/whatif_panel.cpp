// SPDX-License-Identifier: GPL-3.0-or-later
#include "whatif_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "deploy/report.h"
#include "jobs/whatif_job.h"

namespace hgq::gui {

struct WhatIfPanel::State {
    std::unique_ptr<store::Study> study;
    std::unique_ptr<jobs::WhatIf> whatif;
    jobs::WhatIfResult last;
};

namespace {

std::vector<TensorEdit> parse_caps(const QStringList& caps) {
    std::vector<TensorEdit> out;
    for (const QString& c : caps)
        out.push_back(parse_edit(TensorEdit::Op::MaxBits, c.toStdString()));
    return out;
}

}  // namespace

WhatIfPanel::WhatIfPanel(const QString& resources, QWidget* parent)
    : QWidget(parent), resources_(resources), state_(std::make_unique<State>()) {
    title_ = new QLabel(tr("Select a point to ask what if"));
    title_->setWordWrap(true);
    result_ = new QLabel;
    result_->setWordWrap(true);
    result_->setTextFormat(Qt::RichText);
    auto* caps_box = new QWidget;
    caps_ = new QGridLayout(caps_box);
    save_ = new QPushButton(tr("Save as point"));
    save_->setToolTip(
        tr("Store the edited model as a derived point: Export and Synthesize take it "
           "like any point"));
    save_->setEnabled(false);
    reset_ = new QPushButton(tr("Reset"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(reset_);
    buttons->addStretch();
    buttons->addWidget(save_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(result_);  // above the caps: visible while editing in a short dock
    layout->addLayout(buttons);
    layout->addWidget(caps_box);
    layout->addStretch();
    debounce_.setSingleShot(true);
    debounce_.setInterval(250);  // typing 2, 3 in a spin box asks once
    connect(&debounce_, &QTimer::timeout, this, &WhatIfPanel::evaluate);
    connect(save_, &QPushButton::clicked, this, &WhatIfPanel::save);
    connect(reset_, &QPushButton::clicked, this, [this] {
        for (auto& [name, box] : boxes_) box->setValue(-1);
    });
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();
}

WhatIfPanel::~WhatIfPanel() {
    thread_.quit();
    thread_.wait();
}

void WhatIfPanel::post(std::function<void()> job) {
    ++pending_;
    QMetaObject::invokeMethod(worker_, std::move(job), Qt::QueuedConnection);
}

QSpinBox* WhatIfPanel::capBox(const QString& tensor) const {
    for (const auto& [name, box] : boxes_)
        if (name == tensor) return box;
    return nullptr;
}

void WhatIfPanel::setPoint(const QString& study, qint64 point) {
    if (study == study_ && point == point_) return;
    study_ = study, point_ = point;
    emit preview(0, 0, 0);
    if (isVisible()) open();
}

void WhatIfPanel::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    if (point_ != opened_) open();
}

void WhatIfPanel::open() {
    opened_ = point_;
    ++generation_;
    save_->setEnabled(false);
    result_->clear();
    boxes_.clear();  // the boxes go with the layout's widgets below
    while (QLayoutItem* item = caps_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (point_ <= 0) {
        title_->setText(tr("Select a point to ask what if"));
        return;
    }
    title_->setText(tr("Opening point %1 (deploying it, loading its test split)…").arg(point_));
    post([this, study = study_.toStdString(), point = point_, res = resources_.toStdString()] {
        QStringList tensors;
        QVector<int> max_bits;
        QString error;
        try {
            state_->whatif.reset();
            state_->study = std::make_unique<store::Study>(study, store::Study::Open::ReadOnly);
            state_->whatif = std::make_unique<jobs::WhatIf>(*state_->study, point, res, 1);
            const jobs::WhatIfResult now = state_->whatif->evaluate({});
            for (const auto& t : state_->whatif->tensors()) tensors << QString::fromStdString(t);
            for (const QString& t : tensors) {
                const QString layer = t.section('.', 0, -2);
                int bits = 0;
                for (const auto& l : now.deployment.layers)
                    if (QString::fromStdString(l.name) == layer)
                        bits = hgq::max_bits(t.endsWith(".weights") ? l.weight_bits_hist
                                                                    : l.act_bits_hist);
                max_bits << bits;
            }
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this, [=, this] { opened(point, tensors, max_bits, error); }, Qt::QueuedConnection);
    });
}

void WhatIfPanel::opened(qint64 point, const QStringList& tensors, const QVector<int>& max_bits,
                         const QString& error) {
    --pending_;
    if (point != opened_) return;
    if (!error.isEmpty()) {
        title_->setText(tr("Point %1 cannot be edited: %2").arg(point).arg(error));
        return;
    }
    title_->setText(
        tr("What if — point %1: cap the bits of any tensor (no cap: as trained)").arg(point));
    caps_->addWidget(new QLabel(tr("tensor")), 0, 0);
    caps_->addWidget(new QLabel(tr("now up to")), 0, 1);
    caps_->addWidget(new QLabel(tr("cap at")), 0, 2);
    for (int i = 0; i < tensors.size(); ++i) {
        auto* box = new QSpinBox;
        box->setRange(-1, 32);
        box->setSpecialValueText(tr("no cap"));
        box->setValue(-1);
        box->setSuffix(tr(" bits"));
        box->setObjectName(tensors[i]);
        connect(box, &QSpinBox::valueChanged, &debounce_, qOverload<>(&QTimer::start));
        caps_->addWidget(new QLabel(QString(tensors[i]).replace('.', ' ')), i + 1, 0);
        caps_->addWidget(new QLabel(tr("%1 bits").arg(max_bits[i])), i + 1, 1);
        caps_->addWidget(box, i + 1, 2);
        boxes_.push_back({tensors[i], box});
    }
}

QStringList WhatIfPanel::edits() const {
    QStringList out;
    for (const auto& [name, box] : boxes_)
        if (box->value() >= 0) out << QString("%1=%2").arg(name).arg(box->value());
    return out;
}

void WhatIfPanel::evaluate() {
    const QStringList caps = edits();
    const quint64 gen = ++generation_;
    save_->setEnabled(false);
    if (caps.isEmpty()) {
        result_->clear();
        emit preview(0, 0, 0);
        return;
    }
    result_->setText(tr("computing…"));
    post([this, gen, caps] {
        double ebops = 0, acc = 0;
        QString text, error;
        if (gen == generation_ && state_->whatif) {  // skipped when a newer edit is queued
            try {
                state_->last = state_->whatif->evaluate(parse_caps(caps));
                const nlohmann::json j = state_->whatif->to_json(state_->last);
                ebops = j["ebops"].get<double>(), acc = j["test_accuracy"].get<double>();
                const double b = j["ebops_before"].get<double>(),
                             ab = j["test_accuracy_before"].get<double>();
                const QLocale loc;
                text = tr("exact EBOPs %1 → <b>%2</b> (%3 %)<br>test accuracy %4 % → <b>%5 %</b> "
                          "(integer model)<br>≈ %6 LUTs, %7 adder levels")
                           .arg(loc.toString(qlonglong(b)), loc.toString(qlonglong(ebops)))
                           .arg(b > 0 ? 100 * (ebops - b) / b : 0.0, 0, 'f', 1)
                           .arg(100 * ab, 0, 'f', 2)
                           .arg(100 * acc, 0, 'f', 2)
                           .arg(loc.toString(qlonglong(j["lut_estimate"].get<double>())))
                           .arg(j["adder_levels"].get<int>());
            } catch (const std::exception& e) {
                error = QString::fromUtf8(e.what());
            }
        }
        QMetaObject::invokeMethod(
            this, [=, this] { evaluated(gen, ebops, acc, text, error); }, Qt::QueuedConnection);
    });
}

void WhatIfPanel::evaluated(quint64 generation, double ebops, double acc, const QString& text,
                            const QString& error) {
    --pending_;
    if (generation != generation_) return;  // a newer edit is on its way
    if (!error.isEmpty()) {
        result_->setText(error.toHtmlEscaped());
        emit preview(0, 0, 0);
        return;
    }
    result_->setText(text);
    save_->setEnabled(true);
    emit preview(opened_, ebops, acc);
}

void WhatIfPanel::save() {
    save_->setEnabled(false);
    const quint64 gen = generation_;
    result_->setText(result_->text() + tr("<br>saving…"));
    post([this, gen, study = study_.toStdString()] {
        qint64 id = 0;
        QString error;
        try {
            store::Study writable(study, store::Study::Open::Existing);
            id = state_->whatif->save(writable, state_->last);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [=, this] {
                --pending_;
                if (!error.isEmpty()) {
                    result_->setText(tr("Not saved: %1").arg(error.toHtmlEscaped()));
                    return;
                }
                result_->setText(result_->text().replace(tr("<br>saving…"),
                                                         tr("<br>saved as point %1").arg(id)));
                if (gen == generation_) emit preview(0, 0, 0);
                emit saved(id);
            },
            Qt::QueuedConnection);
    });
}

}  // namespace hgq::gui
