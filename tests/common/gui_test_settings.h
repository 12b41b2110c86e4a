#pragma once
// GUI tests never touch the user's settings: QSettings of the test go to a temporary folder.
#include <QCoreApplication>
#include <QSettings>
#include <QString>

namespace flipscope::test {

inline void useTemporarySettings(const QString& dir) {
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir);
    QCoreApplication::setOrganizationName("FlipscopeTests");
}

}  // namespace flipscope::test
