#pragma once
// Values on hexagonal cells at given centres (the 48 ECON-T trigger cells of a sensor module,
// Geometry::econt()), with a title, on a given colour scale; hovering a cell shows its value.
#include "core/metrics/geometry.h"
#include "ui/bitgrid/colour_scale.h"

#include <QPolygonF>
#include <QWidget>

#include <vector>

namespace flipscope::ui {

class HexMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HexMapWidget(QWidget* parent = nullptr);
    // `values[i]` belongs to cells[i].
    void setMap(const QString& title, std::vector<double> values, std::vector<CellPosition> cells, const ColourScale& scale);
    QSize sizeHint() const override { return {150, 170}; }
    QSize minimumSizeHint() const override { return {90, 110}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    std::vector<QPolygonF> hexagons() const;  // in widget coordinates

    QString title_;
    std::vector<double> values_;
    std::vector<CellPosition> cells_;
    ColourScale scale_;
};

}  // namespace flipscope::ui
