#pragma once
// Where the explorer finds files it was not given: the bundled sample model opened on first
// start, and the small dataset that ships beside a model.
#include <QString>
#include <QStringList>

namespace flipscope::ui {

// Folders that may hold the sample models, most specific first: $FLIPSCOPE_SAMPLE_MODELS,
// <app dir>/../../sample_models (a build tree), <app dir>/../share/flipscope/sample_models (an
// install), and `sourceDir`/sample_models (the source tree the app was built from).
QStringList sampleModelDirs(const QString& appDir, const QString& sourceDir);
// The first existing `fileName` in those folders, or empty.
QString findSampleModel(const QString& fileName, const QString& appDir, const QString& sourceDir);
// The samples (and class labels) shipped with a model: the "test" entry of its recipe
// (recipes/<stem>.json beside the model: {"test": {"inputs": "../data/x.h5:/images", "labels": ...}},
// paths relative to the recipe), else a .npy or .csv file beside the model whose name starts with
// the model's stem. Empty when there is none.
struct CompanionData {
    QString inputs;
    QString labels;
};
CompanionData companionData(const QString& modelPath);

}  // namespace flipscope::ui
