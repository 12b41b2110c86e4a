#include "core/model/tensor.h"

#include "core/common/error.h"

#include <numeric>
#include <sstream>

namespace flipscope {

int64_t shapeSize(const Shape& shape) {
    return std::accumulate(shape.begin(), shape.end(), int64_t{1}, std::multiplies<>());
}

std::string shapeToString(const Shape& shape) {
    std::ostringstream out;
    out << '(';
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i) out << ", ";
        if (shape[i] < 0) out << "None"; else out << shape[i];
    }
    if (shape.size() == 1) out << ',';
    out << ')';
    return out.str();
}

Tensor::Tensor(Shape shape, float fill) : shape_(std::move(shape)), data_(shapeSize(shape_), fill) {}

Tensor::Tensor(Shape shape, std::vector<float> data) : shape_(std::move(shape)), data_(std::move(data)) {
    if (shapeSize(shape_) != static_cast<int64_t>(data_.size()))
        throw Error("tensor of shape " + shapeToString(shape_) + " given " + std::to_string(data_.size()) +
                    " values");
}

void Tensor::reshape(Shape shape) {
    if (shapeSize(shape) != size())
        throw Error("cannot reshape " + shapeToString(shape_) + " to " + shapeToString(shape));
    shape_ = std::move(shape);
}

void Tensor::resize(Shape shape) {
    data_.resize(shapeSize(shape));
    shape_ = std::move(shape);
}

int64_t Tensor::rowSize() const {
    return shape_.empty() || shape_[0] == 0 ? 0 : size() / shape_[0];
}

Tensor Tensor::slice(int64_t begin, int64_t end) const {
    Shape s = shape_;
    s[0] = end - begin;
    const int64_t row = rowSize();
    return Tensor(s, std::vector<float>(data_.begin() + begin * row, data_.begin() + end * row));
}

}  // namespace flipscope
