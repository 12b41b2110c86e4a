#include "core/faults/packed_run.h"

#include "core/common/error.h"
#include "core/faults/sample_lanes.h"

#include <algorithm>

namespace flipscope {

using namespace sample_lanes;

namespace {

int64_t inPlaneOf(const PackedRun::Step& step) { return step.dense ? step.dense->inPlane() : step.transpose->inPlane(); }
int64_t outPlaneOf(const PackedRun::Step& step) {
    return step.dense ? step.dense->outPlane() : step.transpose->outPlane();
}

}  // namespace

PackedRun::PackedRun(std::vector<Step> steps, Shape outputShape)
    : steps_(std::move(steps)), outputShape_(std::move(outputShape)) {
    if (steps_.empty()) throw Error("a packed run needs at least one layer (internal error)");
    inPlane_ = inPlaneOf(steps_.front());
    outPlane_ = outPlaneOf(steps_.back());
    int64_t widest = inPlane_;
    for (size_t k = 0; k < steps_.size(); ++k) {
        const Step& step = steps_[k];
        if (!step.dense == !step.transpose || !(step.dense ? step.dense->lanesFusable() : step.transpose->lanesFusable()))
            throw Error("a packed run takes packed layers with ReLU or linear activations (internal error)");
        if (k > 0 && inPlaneOf(step) != outPlaneOf(steps_[k - 1]))
            throw Error("the layers of a packed run do not fit together (internal error)");
        widest = std::max(widest, outPlaneOf(step));
    }
    if (shapeSize(outputShape_) != outPlane_) throw Error("packed run output shape mismatch (internal error)");
    lanesA_.resize(widest * kGroup);
    lanesB_.resize(widest * kGroup);
}

void PackedRun::forward(const Tensor& x, Tensor& y, DenseDeltaSums* firstSums, const int64_t* samples) const {
    if (x.rank() < 2 || x.rowSize() != inPlane_)
        throw Error("a packed run expects rows of " + std::to_string(inPlane_) + " values");
    const int64_t n = x.dim(0);
    Shape shape = outputShape_;
    shape.insert(shape.begin(), n);
    y.resize(std::move(shape));
    for (int64_t s = 0; s < n; s += kGroup) {
        const int64_t count = std::min(kGroup, n - s);
        double* in = lanesA_.data();
        double* out = lanesB_.data();
        size_t first = 0;
        if (firstSums && samples && firstSums->groupSums(x.data() + s * inPlane_, samples + s, count, in)) {
            steps_.front().dense->finishLanes(in);
            first = 1;
        } else {
            transposeGroup(x.data() + s * inPlane_, count, inPlane_, in);
        }
        for (size_t k = first; k < steps_.size(); ++k) {
            const Step& step = steps_[k];
            if (step.dense) step.dense->forwardLanes(in, out);
            else step.transpose->forwardLanes(in, out);
            std::swap(in, out);
        }
        storeGroup(in, count, outPlane_, nullptr, y.data() + s * outPlane_);
    }
}

}  // namespace flipscope
