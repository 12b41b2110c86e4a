#pragma once
// One 2-D map of values as square cells (a sample image, a model output, their difference),
// with a title, on a given colour scale; hovering a cell shows its row, column and value.
#include "ui/bitgrid/colour_scale.h"

#include <QWidget>

#include <vector>

namespace flipscope::ui {

class HeatMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatMapWidget(QWidget* parent = nullptr);
    void setMap(const QString& title, std::vector<float> values, int rows, int cols, const ColourScale& scale);
    QSize sizeHint() const override { return {150, 170}; }
    QSize minimumSizeHint() const override { return {90, 110}; }
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF mapRect() const;

    QString title_;
    std::vector<float> values_;
    int rows_ = 0, cols_ = 0;
    ColourScale scale_;
};

}  // namespace flipscope::ui
