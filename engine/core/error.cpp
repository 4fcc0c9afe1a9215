// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/error.h"

namespace hgq {
namespace {
std::string compose(const std::string& where, const std::string& what, const std::string& hint) {
    std::string s = where.empty() ? what : where + ": " + what;
    if (!hint.empty()) s += " (" + hint + ")";
    return s;
}
}  // namespace

Error::Error(ErrorKind kind, std::string where, std::string what, std::string hint)
    : std::runtime_error(compose(where, what, hint)),
      kind_(kind),
      where_(std::move(where)),
      message_(std::move(what)),
      hint_(std::move(hint)) {}

int Error::exit_code() const {
    switch (kind_) {
        case ErrorKind::BadInput:
            return 2;
        case ErrorKind::Cancelled:
            return 130;
        case ErrorKind::Runtime:
            break;
    }
    return 1;
}

}  // namespace hgq
