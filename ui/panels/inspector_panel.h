#pragma once
// The right-hand inspector: the selected bit (where, weight, code, bits, value after a flip, the
// colouring's value), the Flip and Reset buttons, the list of flipped bits, the dataset metric
// before and after the flips, and one chosen sample before/after (SampleView).
#include "core/faults/flippable_tensors.h"

#include <QWidget>

#include <optional>

class QLabel;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace flipscope::ui {

class SampleView;
class Workbench;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    InspectorPanel(Workbench* workbench, QWidget* parent = nullptr);

    void setSelectedBit(std::optional<BitRef> bit);
    void setColouringName(const QString& name) { colouringName_ = name; refreshBit(); }
    std::optional<BitRef> selectedBit() const { return selected_; }

    // Widgets reachable for tests and the screenshot script.
    QPushButton* flipButton() const { return flip_; }
    QPushButton* resetButton() const { return reset_; }
    QLabel* metricLabel() const { return metric_; }
    QSpinBox* sampleBox() const { return sample_; }
    SampleView* sampleView() const { return sampleView_; }
    QString bitDetailsText() const;

signals:
    void flipRequested(const flipscope::BitRef& bit);
    void resetRequested();
    void bitChosen(const flipscope::BitRef& bit);  // from the list of flipped bits

public slots:
    void refreshBit();
    void refreshFlips();
    void refreshOutcome();

private:
    Workbench* workbench_;
    std::optional<BitRef> selected_;
    QString colouringName_;
    QLabel* title_ = nullptr;
    QLabel* details_ = nullptr;
    QPushButton* flip_ = nullptr;
    QPushButton* reset_ = nullptr;
    QListWidget* flips_ = nullptr;
    QLabel* metricName_ = nullptr;
    QLabel* metric_ = nullptr;
    QLabel* status_ = nullptr;
    QSpinBox* sample_ = nullptr;
    QLabel* sampleMetric_ = nullptr;
    SampleView* sampleView_ = nullptr;
};

}  // namespace flipscope::ui
