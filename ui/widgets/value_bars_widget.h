#pragma once
// Two vectors side by side as paired bars per entry (class probabilities, outputs): "before" in
// grey, "after" in colour; an optional highlighted entry (the true label) and the arg-max of each.
#include <QWidget>

#include <optional>
#include <vector>

namespace flipscope::ui {

class ValueBarsWidget : public QWidget {
    Q_OBJECT
public:
    explicit ValueBarsWidget(QWidget* parent = nullptr);
    void setValues(const QString& title, std::vector<float> before, std::vector<float> after,
                   std::optional<int> highlight = std::nullopt);
    QSize sizeHint() const override { return {300, 150}; }
    QSize minimumSizeHint() const override { return {160, 110}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString title_;
    std::vector<float> before_, after_;
    std::optional<int> highlight_;
};

}  // namespace flipscope::ui
