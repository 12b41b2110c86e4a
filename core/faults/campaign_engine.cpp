#include "core/faults/campaign_engine.h"

#include "core/common/error.h"
#include "core/faults/incremental_engine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace flipscope {

bool isWorse(double metric, double baseline, bool lowerIsBetter) {
    if (std::isnan(metric)) return !std::isnan(baseline);
    return lowerIsBetter ? metric > baseline : metric < baseline;
}

FaultResult faultResultHeader(const std::vector<BoundTensor>& bound, const PlannedFault& planned, int64_t faultIndex) {
    FaultResult r;
    r.faultIndex = faultIndex;
    r.globalBit = planned.globalBit;
    r.bitErrorRate = planned.bitErrorRate;
    r.trial = planned.trial;
    if (planned.globalBit >= 0) {
        const BitAddress& a = planned.fault.bits.front().address;
        r.tensor = a.tensor;
        r.param = a.index;
        r.bit = a.bit;
        r.original = bound[a.tensor].parameter->effective[a.index];
        // The value applyFault would give that weight, without changing the model (no layer has
        // to take the change in and back out again).
        std::vector<BitFault> bits;
        for (const BitFault& b : planned.fault.bits)
            if (b.address.tensor == a.tensor && b.address.index == a.index) bits.push_back(b);
        r.flipped = faultyValue(bound[a.tensor], a.index, r.original, bits);
    }
    return r;
}

void setFaultMetric(FaultResult& r, double metric, double baseline, bool lowerIsBetter) {
    r.metric = metric;
    r.delta = metric - baseline;
    r.protect = isWorse(metric, baseline, lowerIsBetter);
}

FaultResult evaluateFault(Model& model, const std::vector<BoundTensor>& bound, const PlannedFault& planned,
                          int64_t faultIndex, const ModelEvaluator& evaluator, double baseline,
                          const std::atomic<bool>* cancel) {
    FaultResult r = faultResultHeader(bound, planned, faultIndex);
    const FaultUndo undo = applyFault(bound, planned.fault);
    double metric = 0.0;
    try {
        metric = evaluator.evaluate(model, cancel);
    } catch (...) {
        undoFault(bound, undo);
        throw;
    }
    undoFault(bound, undo);
    setFaultMetric(r, metric, baseline, evaluator.lowerIsBetter());
    return r;
}

CampaignOutcome runCampaign(const CampaignRequest& request, CampaignControl& control) {
    using Clock = std::chrono::steady_clock;
    const auto& faults = *request.faults;
    const int64_t total = static_cast<int64_t>(faults.size());
    const int64_t start = std::clamp<int64_t>(request.startAt, 0, total);
    int threads = request.threads > 0 ? request.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    CampaignWork work;
    if (request.cleanCache) {
        Model planningModel(*request.model);
        const auto bound = bindBitSpace(*request.space, planningModel);
        work = IncrementalEvaluator(planningModel, bound, *request.cleanCache, *request.evaluator, request.baseline)
                   .planWork(faults, start, threads);
    } else {
        work = singleFaultWork(start, total);
    }
    int64_t partCount = 0;
    for (int64_t u = 0; u < work.units(); ++u) partCount += work.partsOf(u);
    threads = static_cast<int>(std::clamp<int64_t>(threads, 1, std::max<int64_t>(1, partCount)));

    std::mutex mutex;
    std::condition_variable ready;
    std::vector<std::optional<FaultResult>> slots(total - start);
    std::exception_ptr failure;
    // The parts of all units, unit by unit; a unit's results are ready when its last part is done.
    std::vector<std::pair<int64_t, int>> parts;
    for (int64_t u = 0; u < work.units(); ++u)
        for (int k = 0; k < work.partsOf(u); ++k) parts.emplace_back(u, k);
    std::vector<UnitProgress> progress(work.units());
    std::vector<int> partsLeft(work.units());
    for (int64_t u = 0; u < work.units(); ++u) {
        partsLeft[u] = work.partsOf(u);
        progress[u].kept.resize(work.partsOf(u));
    }
    std::atomic<int64_t> nextPart{0};

    auto worker = [&] {
        try {
            Model model(*request.model);  // a private copy: the user's model is never touched
            const auto bound = bindBitSpace(*request.space, model);
            std::optional<IncrementalEvaluator> fast;
            if (request.cleanCache)
                fast.emplace(model, bound, *request.cleanCache, *request.evaluator, request.baseline);
            for (;;) {
                while (control.pause && !control.cancel) std::this_thread::sleep_for(std::chrono::milliseconds(20));
                if (control.cancel) return;
                const int64_t p = nextPart++;
                if (p >= static_cast<int64_t>(parts.size())) return;
                const auto [u, part] = parts[p];
                if (fast) {
                    fast->evaluatePart(faults, work.unit(u), part, work.partsOf(u), progress[u], &control.cancel);
                } else {
                    for (int64_t i : work.unit(u))
                        progress[u].results.push_back(evaluateFault(model, bound, faults[i], i, *request.evaluator,
                                                                    request.baseline, &control.cancel));
                }
                bool last = false;
                {
                    std::lock_guard lock(mutex);  // orders every part's writes before the finish
                    last = --partsLeft[u] == 0;
                }
                if (!last) continue;
                std::vector<FaultResult> results =
                    fast ? fast->finishUnit(std::move(progress[u])) : std::move(progress[u].results);
                progress[u] = UnitProgress{};
                std::lock_guard lock(mutex);
                for (FaultResult& r : results) slots[r.faultIndex - start] = std::move(r);
                ready.notify_one();
            }
        } catch (const Cancelled&) {
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!failure) failure = std::current_exception();
            control.cancel = true;
            ready.notify_one();
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);

    // The calling thread hands results out in plan order and reports progress.
    const auto began = Clock::now();
    auto lastProgress = began;
    int64_t emitted = 0;
    auto emitReady = [&] {
        std::vector<FaultResult> batch;
        {
            std::lock_guard lock(mutex);
            int64_t ready = emitted;
            while (ready < static_cast<int64_t>(slots.size()) && slots[ready]) ++ready;
            batch.reserve(ready - emitted);  // (the last batch can hold most of a campaign)
            for (; emitted < ready; ++emitted) {
                batch.push_back(std::move(*slots[emitted]));
                slots[emitted].reset();
            }
        }
        if (!batch.empty() && request.onResults) request.onResults(batch);
    };
    auto report = [&] {
        if (!request.onProgress) return;
        CampaignProgress p;
        p.total = total;
        p.done = start + emitted;
        p.elapsedSeconds = std::chrono::duration<double>(Clock::now() - began).count();
        p.rate = p.elapsedSeconds > 0 ? emitted / p.elapsedSeconds : 0.0;
        p.etaSeconds = p.rate > 0 ? (total - p.done) / p.rate : 0.0;
        request.onProgress(p);
    };
    while (true) {
        {
            std::unique_lock lock(mutex);
            ready.wait_for(lock, std::chrono::milliseconds(50));
        }
        emitReady();
        const bool finished = start + emitted >= total;
        if (Clock::now() - lastProgress >= std::chrono::duration<double>(request.progressInterval)) {
            report();
            lastProgress = Clock::now();
        }
        if (finished || control.cancel) break;
    }
    for (auto& t : pool) t.join();
    emitReady();  // whatever finished while the workers wound down
    report();
    if (failure) std::rethrow_exception(failure);
    return {emitted, start + emitted < total};
}

}  // namespace flipscope
