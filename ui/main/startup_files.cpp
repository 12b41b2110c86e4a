#include "ui/main/startup_files.h"

#include <QDir>
#include <QFileInfo>

namespace flipscope::ui {

QStringList sampleModelDirs(const QString& appDir, const QString& sourceDir) {
    QStringList dirs;
    const QString env = qEnvironmentVariable("FLIPSCOPE_SAMPLE_MODELS");
    if (!env.isEmpty()) dirs << env;
    dirs << QDir(appDir).filePath("../../sample_models") << QDir(appDir).filePath("../share/flipscope/sample_models");
    if (!sourceDir.isEmpty()) dirs << QDir(sourceDir).filePath("sample_models");
    for (QString& d : dirs) d = QDir::cleanPath(d);
    dirs.removeDuplicates();
    return dirs;
}

QString findSampleModel(const QString& fileName, const QString& appDir, const QString& sourceDir) {
    for (const QString& dir : sampleModelDirs(appDir, sourceDir)) {
        const QString path = QDir(dir).filePath(fileName);
        if (QFileInfo(path).isFile()) return path;
    }
    return {};
}

QString companionDataset(const QString& modelPath) {
    const QFileInfo model(modelPath);
    const QStringList candidates =
        model.dir().entryList({model.completeBaseName() + "*.npy", model.completeBaseName() + "*.csv"}, QDir::Files, QDir::Name);
    return candidates.isEmpty() ? QString() : model.dir().filePath(candidates.first());
}

}  // namespace flipscope::ui
