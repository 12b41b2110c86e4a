#pragma once
// A campaign's results file (HDF5, one per campaign), written incrementally: rows are appended in
// plan order and flushed at least every second, so a crash, kill -9 or cancel loses at most the
// last second. The file records the model and dataset with fingerprints, the metric, the plan and
// seed, the baseline, and one row per fault. A results file can be reopened to resume.
#include "core/faults/campaign_result.h"
#include "core/io/hdf5_file.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace flipscope {

inline constexpr int kResultsFormatVersion = 1;

class ResultsWriter {
public:
    // Creates a new file (an existing file is replaced only if `overwrite`).
    static ResultsWriter create(const std::string& path, const CampaignInfo& info, bool overwrite);
    // Reopens a stopped campaign's file to append to it. The caller checks compatibility with
    // checkResumable() first.
    static ResultsWriter reopen(const std::string& path);

    int64_t rowsWritten() const { return rows_; }
    // Appends results (in plan order); flushes when a second has passed since the last flush.
    void append(const std::vector<FaultResult>& results);
    void setStatus(const std::string& status);
    void flush();

private:
    explicit ResultsWriter(h5::File file, int64_t rows);
    h5::File file_;
    int64_t rows_ = 0;
    std::chrono::steady_clock::time_point lastFlush_;
};

struct CampaignResults {
    CampaignInfo info;
    std::vector<FaultResult> faults;
};

CampaignInfo readCampaignInfo(const std::string& path);
CampaignResults readCampaignResults(const std::string& path);

// Refuses (InputError naming the field) a results file that does not belong to this campaign:
// other model or dataset content, metric, plan or seed.
void checkResumable(const CampaignInfo& existing, const CampaignInfo& requested, const std::string& path);

// The single-bit table as CSV: layer,tensor,index,bit,original,flipped,metric,delta,protect
// (multi-bit faults: ber,trial,bit_count,metric,delta,protect).
void writeResultsCsv(const CampaignResults& results, const std::string& path);

}  // namespace flipscope
