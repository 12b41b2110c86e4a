#pragma once
// Errors a user can act on: every message names the file, layer or field involved,
// what was expected and what was found.
#include <stdexcept>
#include <string>

namespace flipscope {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad input data: a file that is missing, foreign, truncated or inconsistent.
class InputError : public Error {
public:
    using Error::Error;
};

// Something the file asks for that Flipscope does not implement (a layer class, a quantizer option).
class UnsupportedError : public Error {
public:
    using Error::Error;
};

// The user asked a long job to stop.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace flipscope
