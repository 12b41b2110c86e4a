#pragma once
// A dense float32 tensor in row-major (C) order. Activations are NHWC with the batch first;
// weights keep the Keras shapes (Dense [in,out], Conv2D [kh,kw,in,out]).
#include <Eigen/Core>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace flipscope {

using Shape = std::vector<int64_t>;

int64_t shapeSize(const Shape& shape);
std::string shapeToString(const Shape& shape);  // "(8, 8, 1)"

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(Shape shape, float fill = 0.0f);
    Tensor(Shape shape, std::vector<float> data);

    const Shape& shape() const { return shape_; }
    int rank() const { return static_cast<int>(shape_.size()); }
    int64_t dim(int axis) const { return shape_.at(axis < 0 ? shape_.size() + axis : axis); }
    int64_t size() const { return static_cast<int64_t>(data_.size()); }
    bool empty() const { return data_.empty(); }

    float* data() { return data_.data(); }
    const float* data() const { return data_.data(); }
    std::span<float> values() { return data_; }
    std::span<const float> values() const { return data_; }
    float& operator[](int64_t i) { return data_[i]; }
    float operator[](int64_t i) const { return data_[i]; }

    // Views as a flat Eigen array, for element-wise work.
    Eigen::Map<Eigen::ArrayXf> array() { return {data_.data(), static_cast<Eigen::Index>(data_.size())}; }
    Eigen::Map<const Eigen::ArrayXf> array() const {
        return {data_.data(), static_cast<Eigen::Index>(data_.size())};
    }

    // Same data, new shape (sizes must agree).
    void reshape(Shape shape);
    // New shape of any size; values kept up to the new size, new ones zero. Reuses the storage
    // when it is large enough, so a buffer can serve batches of varying size without allocating.
    void resize(Shape shape);
    // Rows [begin, end) of the first axis.
    Tensor slice(int64_t begin, int64_t end) const;
    // Number of elements per entry of the first axis.
    int64_t rowSize() const;

private:
    Shape shape_;
    std::vector<float> data_;
};

}  // namespace flipscope
