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
// A dataset shipped beside a model: a .npy or .csv file whose name starts with the model's
// stem ("econt-medium-inputs.npy" for "econt-medium.h5"), or empty.
QString companionDataset(const QString& modelPath);

}  // namespace flipscope::ui
