#include "ui/main/startup_files.h"

#include "ui/session/dataset_spec_text.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

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

namespace {

// "../data/x.h5:/images" relative to `dir`, keeping the dataset part; empty when the file is missing.
QString resolveSpec(const QDir& dir, const QString& spec) {
    if (spec.isEmpty()) return {};
    const DatasetSpecText parts = DatasetSpecText::split(spec, dir);
    const QString file = QDir::cleanPath(dir.filePath(parts.file));
    if (!QFileInfo(file).isFile()) return {};
    return parts.withFile(file);
}

}  // namespace

CompanionData companionData(const QString& modelPath) {
    const QFileInfo model(modelPath);
    const QDir recipes(model.dir().filePath("recipes"));
    QFile recipe(recipes.filePath(model.completeBaseName() + ".json"));
    if (recipe.open(QIODevice::ReadOnly)) {
        const QJsonObject test = QJsonDocument::fromJson(recipe.readAll()).object().value("test").toObject();
        CompanionData d{resolveSpec(recipes, test.value("inputs").toString()), resolveSpec(recipes, test.value("labels").toString())};
        if (!d.inputs.isEmpty()) return d;
    }
    const QStringList candidates =
        model.dir().entryList({model.completeBaseName() + "*.npy", model.completeBaseName() + "*.csv"}, QDir::Files, QDir::Name);
    return {candidates.isEmpty() ? QString() : model.dir().filePath(candidates.first()), {}};
}

}  // namespace flipscope::ui
