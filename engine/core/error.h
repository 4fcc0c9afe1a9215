// SPDX-License-Identifier: GPL-3.0-or-later
// The engine's one error type. Every failure that reaches a user carries a kind (which decides the
// CLI exit code), a message naming the file/field/line, and a hint saying what to fix.
#pragma once
#include <stdexcept>
#include <string>

namespace hgq {

enum class ErrorKind {
    BadInput,   // the user's file, config or data is wrong: exit code 2
    Runtime,    // something failed while working (I/O, numerics): exit code 1
    Cancelled,  // the user asked to stop: exit code 130
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, std::string where, std::string what, std::string hint = {});

    ErrorKind kind() const { return kind_; }
    const std::string& where() const { return where_; }
    const std::string& hint() const { return hint_; }
    const std::string& message() const { return message_; }  // what, without where and hint
    int exit_code() const;

    static Error bad_input(std::string where, std::string what, std::string hint = {}) {
        return Error(ErrorKind::BadInput, std::move(where), std::move(what), std::move(hint));
    }
    static Error runtime(std::string where, std::string what, std::string hint = {}) {
        return Error(ErrorKind::Runtime, std::move(where), std::move(what), std::move(hint));
    }

  private:
    ErrorKind kind_;
    std::string where_;
    std::string message_;
    std::string hint_;
};

}  // namespace hgq
