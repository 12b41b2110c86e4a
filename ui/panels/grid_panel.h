#pragma once
// The centre of the window: the bit grid under a tool row with the colouring choice, the log
// scale toggle, zoom buttons and the colour bar legend.
#include "core/faults/bit_colouring.h"

#include <QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;

namespace flipscope::ui {

class BitGridWidget;
class ColourBar;

class GridPanel : public QWidget {
    Q_OBJECT
public:
    explicit GridPanel(QWidget* parent = nullptr);

    BitGridWidget* grid() const { return grid_; }
    QComboBox* colouringBox() const { return colouring_; }
    QCheckBox* logBox() const { return log_; }

    // The colourings to offer (not owned; they must outlive their use here). Keeps the chosen
    // one by name when it is still offered.
    void setColourings(const std::vector<const BitColouring*>& colourings);
    const BitColouring* currentColouring() const;
    bool selectColouring(const QString& name);
    // After weights changed: recolour and update the legend.
    void refreshColours();

signals:
    void colouringChanged(const QString& name);

private:
    void applyColouring();
    void updateLegend();

    BitGridWidget* grid_ = nullptr;
    QComboBox* colouring_ = nullptr;
    QCheckBox* log_ = nullptr;
    ColourBar* legend_ = nullptr;
    QLabel* zoom_ = nullptr;
    std::vector<const BitColouring*> colourings_;
};

}  // namespace flipscope::ui
