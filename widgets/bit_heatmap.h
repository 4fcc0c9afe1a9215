// SPDX-License-Identifier: GPL-3.0-or-later
// Per-weight bit-width heatmap of one layer's quantized kernel.
//
// Bits of a weight: codeBits(code) is the span of the code's magnitude — the number of bits from
// its highest to its lowest set bit, 0 for a pruned weight (5 = 101b → 3, 4 = 100b → 1,
// −3 → 2, 6 = 110b → 2). It is the engine's own per-weight bit count (span_bits in
// engine/deploy/report.cpp), the one its weight histograms and exact EBOPs are made of, so the
// heatmap, the histogram next to it and the cost always agree.
//
// Type in the hover: the smallest signed ap_fixed<W,I> that holds code·2^-f exactly. Write the
// code as m·2^t with m odd; then F = f − t fractional bits are needed, W = bit_width(m) + 1 for
// m > 0 and bit_width(−m − 1) + 1 for m < 0 (two's complement of m), and I = W − F
// (5·2^-3 → ap_fixed<4,1>; −4·2^-3 = −1·2^-1 → ap_fixed<1,0>). A pruned weight has no type.
//
// Layout: a dense kernel is drawn rows = inputs (y, top to bottom) × cols = outputs (x). A conv
// kernel (in_c > 0, rows ordered (ky, kx, c)) is drawn as a kh × kw grid of tiles, tile (ky, kx)
// holding its in_c × cols slice, with a one-cell transparent gap between tiles.
//
// Colours: 0 bits have their own neutral grey level, clearly apart from the viridis levels of
// 1..max bits; every integer bit-width gets one flat colour (no blending between levels).
#pragma once
#include <QPoint>
#include <QTimer>
#include <QWidget>

#include "plot_data.h"

class QCPColorMap;
class QCPColorScale;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;
class QMouseEvent;

namespace hgq::widgets {

class BitHeatmap : public QWidget {
    Q_OBJECT
  public:
    explicit BitHeatmap(QWidget* parent = nullptr);

    // Shows `k`. f may hold one entry per weight (the engine's layout), one per output column,
    // or a single value for the whole kernel; anything else is read as f = 0.
    void setKernel(const KernelView& k);
    void clear();  // back to the "Select a point" state
    const KernelView& kernel() const { return k_; }

    static int codeBits(qint64 code);
    // "ap_fixed<W,I>" as described above, or "pruned (0 bits)".
    static QString fixedType(qint64 code, int f);
    // code·2^-f as an exact decimal (every dyadic value has a finite one), e.g. "-0.625".
    static QString exactValue(qint64 code, int f);

    // The colour-map cell (x = key index, y = value index, y = 0 at the top) of kernel entry
    // (row, col); (-1, -1) when out of range.
    QPoint cellOf(int row, int col) const;
    // codeBits of entry (row, col), -1 when out of range.
    int valueAt(int row, int col) const;
    // The hover text of entry (row, col); empty when out of range.
    QString cellText(int row, int col) const;
    double prunedFraction() const;
    int maxBits() const { return max_bits_; }
    // The colour of a bit-width: the same for every point and layer (a fixed 0..kScaleTop scale).
    static constexpr int kScaleTop = 16;
    static QColor colorOf(int bits);

    QCustomPlot* plot() const { return plot_; }

  private:
    bool isConv() const;
    QSize gridSize() const;  // colour-map cells, tile gaps included
    bool entryOf(int x, int y, int* row, int* col) const;
    qint64 codeAt(int row, int col) const { return k_.codes[row * k_.cols + col]; }
    int fAt(int row, int col) const;
    void fillMap();
    void applyGradient();
    void setupTicks();
    void resetView();
    void showTip(QMouseEvent* event);
    void scheduleReplot();

    KernelView k_;
    bool valid_ = false;
    int max_bits_ = 0;
    QPoint last_cell_{-1, -1};

    QCustomPlot* plot_ = nullptr;
    QCPColorMap* map_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    QCPTextElement* title_ = nullptr;
    QCPItemText* empty_text_ = nullptr;
    QTimer replot_timer_;
};

}  // namespace hgq::widgets
