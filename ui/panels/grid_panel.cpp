#include "ui/panels/grid_panel.h"

#include "ui/bitgrid/bit_grid_widget.h"
#include "ui/widgets/colour_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace flipscope::ui {

namespace {
QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    b->setAutoRaise(true);
    return b;
}
}  // namespace

GridPanel::GridPanel(QWidget* parent) : QWidget(parent) {
    grid_ = new BitGridWidget(this);
    colouring_ = new QComboBox(this);
    colouring_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    colouring_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);  // the legend gives way
    colouring_->setToolTip("What the colour of a bit shows");
    log_ = new QCheckBox("Log scale", this);
    log_->setToolTip("Logarithmic colour axis (symmetric log for signed values)");
    legend_ = new ColourBar(this);
    zoom_ = new QLabel(this);
    zoom_->setMinimumWidth(fontMetrics().horizontalAdvance("00.00 px"));
    zoom_->setToolTip("Row height");

    auto* zoomOut = toolButton("−", "Zoom out (−, mouse wheel)", this);
    auto* zoomIn = toolButton("+", "Zoom in (+, mouse wheel)", this);
    auto* fit = toolButton("Fit", "Show every tensor at once (0)", this);
    auto* cells = toolButton("1:1", "Readable cells (1)", this);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(8, 4, 8, 4);
    tools->addWidget(new QLabel("Colour by", this));
    tools->addWidget(colouring_);
    tools->addWidget(log_);
    tools->addStretch(1);
    tools->addWidget(zoomOut);
    tools->addWidget(zoomIn);
    tools->addWidget(fit);
    tools->addWidget(cells);
    tools->addWidget(zoom_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    auto* legendRow = new QHBoxLayout;
    legendRow->setContentsMargins(8, 0, 8, 4);
    legendRow->addWidget(legend_, 1);
    layout->addLayout(tools);
    layout->addLayout(legendRow);
    layout->addWidget(grid_, 1);

    connect(zoomIn, &QToolButton::clicked, grid_, &BitGridWidget::zoomIn);
    connect(zoomOut, &QToolButton::clicked, grid_, &BitGridWidget::zoomOut);
    connect(fit, &QToolButton::clicked, grid_, &BitGridWidget::zoomToFit);
    connect(cells, &QToolButton::clicked, grid_, &BitGridWidget::zoomToCells);
    connect(grid_, &BitGridWidget::zoomChanged, this,
            [this](double h) { zoom_->setText(QString("%1 px").arg(h >= 1 ? QString::number(h, 'f', 1) : QString::number(h, 'g', 2))); });
    connect(colouring_, &QComboBox::currentIndexChanged, this, [this] {
        applyColouring();
        emit colouringChanged(colouring_->currentText());
    });
    connect(log_, &QCheckBox::toggled, this, [this](bool on) {
        grid_->setLogScale(on);
        updateLegend();
    });
    emit grid_->zoomChanged(grid_->cellHeight());
}

void GridPanel::setColourings(const std::vector<const BitColouring*>& colourings) {
    const QString keep = colouring_->currentText();
    colourings_ = colourings;
    {
        QSignalBlocker block(colouring_);
        colouring_->clear();
        for (const auto* c : colourings_) {
            colouring_->addItem(QString::fromStdString(c->name()));
            colouring_->setItemData(colouring_->count() - 1, QString::fromStdString(c->description()), Qt::ToolTipRole);
        }
        const int keptIndex = colouring_->findText(keep);
        colouring_->setCurrentIndex(keptIndex >= 0 ? keptIndex : 0);
    }
    applyColouring();
}

const BitColouring* GridPanel::currentColouring() const {
    const int i = colouring_->currentIndex();
    return i >= 0 && i < static_cast<int>(colourings_.size()) ? colourings_[i] : nullptr;
}

bool GridPanel::selectColouring(const QString& name) {
    const int i = colouring_->findText(name);
    if (i < 0) return false;
    colouring_->setCurrentIndex(i);
    return true;
}

void GridPanel::applyColouring() {
    grid_->setColouring(currentColouring());
    updateLegend();
}

void GridPanel::refreshColours() {
    grid_->refreshColours();
    updateLegend();
}

void GridPanel::updateLegend() {
    const auto* c = currentColouring();
    legend_->setScale(grid_->colourScale(), c ? QString::fromStdString(c->name()) : QString());
    legend_->setToolTip(c ? QString::fromStdString(c->description()) : QString());
    log_->setEnabled(c && !c->isDiscrete());
}

}  // namespace flipscope::ui
