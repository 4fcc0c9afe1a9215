// SPDX-License-Identifier: GPL-3.0-or-later
// File → Export plot: the Pareto plot as PNG or PDF at a chosen size and pixel density, clean
// (no selection ring, no pinned marker) for a paper or a slide, or as it is on screen.
#pragma once
#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace hgq::gui {

class PlotExportDialog : public QDialog {
    Q_OBJECT
  public:
    explicit PlotExportDialog(QWidget* parent = nullptr);
    QString path() const;
    int widthPx() const;  // the layout size, in device-independent pixels
    int heightPx() const;
    double scale() const;  // device pixels per layout pixel (2: a "retina" image)
    bool clean() const;

    QSpinBox* widthBox() const { return width_; }
    QSpinBox* heightBox() const { return height_; }
    QComboBox* scaleBox() const { return scale_; }
    QCheckBox* cleanBox() const { return clean_; }
    QLineEdit* pathEdit() const { return path_; }

  private:
    void browse();
    QLineEdit* path_;
    QSpinBox *width_, *height_;
    QComboBox* scale_;
    QCheckBox* clean_;
};

}  // namespace hgq::gui
