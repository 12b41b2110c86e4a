#pragma once
// The most recently opened files of one kind (models or datasets), kept in QSettings, shown as a
// menu whose entries reopen them.
#include <QObject>
#include <QStringList>

class QMenu;

namespace flipscope::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    RecentFiles(QString settingsKey, QMenu* menu, QObject* parent = nullptr);

    void add(const QString& path);
    QStringList files() const;
    static constexpr int kMaxFiles = 8;

signals:
    void chosen(const QString& path);

private:
    void rebuildMenu();

    QString key_;
    QMenu* menu_;
};

}  // namespace flipscope::ui
