#pragma once
// Where a campaign started from the GUI writes its results, and what to do when that file exists:
// the default name `<model>-<metric>-<plan>.h5` beside the model (or in the user's documents
// folder when the model's folder is not writable), and whether an existing file is a stopped
// campaign of the same setup that can be resumed (core's checkResumable on what is known before
// the job starts; the job checks everything again when it starts).
#include "core/faults/campaign_job.h"

#include <QString>

namespace flipscope::ui {

QString defaultResultsPath(const QString& modelPath, const QString& metric, const CampaignPlan& plan);

struct ExistingResults {
    bool exists = false;
    QString status;         // "running" (killed), "cancelled", "complete", "failed"; empty if unreadable
    int64_t rows = 0;       // faults already in the file
    int64_t total = 0;
    bool resumable = false; // a stopped campaign of this setup
    QString reason;         // why not resumable (for the question to the user)
};

// `model`: the open model (for the bit space); the setup's files are fingerprinted.
ExistingResults inspectExistingResults(const CampaignSetup& setup, const Model& model);

}  // namespace flipscope::ui
