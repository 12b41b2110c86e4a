#pragma once
// A horizontal colour bar legend: the colouring's name, its colour ramp (or its classes, for
// discrete values) and labelled ticks of its range, linear or logarithmic.
#include "ui/bitgrid/colour_scale.h"

#include <QWidget>

namespace flipscope::ui {

class ColourBar : public QWidget {
    Q_OBJECT
public:
    explicit ColourBar(QWidget* parent = nullptr);
    void setScale(const ColourScale& scale, const QString& title);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    ColourScale scale_;
    QString title_;
};

}  // namespace flipscope::ui
