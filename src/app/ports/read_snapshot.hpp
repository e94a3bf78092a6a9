#pragma once
// Reads that belong together (the checks before one orientation and the people to tell):
// held open, they are read on one connection and, where the database allows it cheaply, from
// one snapshot (storage::ReadScope). Nothing may be written while one is held.
#include <memory>

namespace sas::app {

class ReadSnapshots {
 public:
  /// Ends the snapshot when destroyed.
  class Held {
   public:
    virtual ~Held() = default;
  };
  virtual ~ReadSnapshots() = default;
  [[nodiscard]] virtual std::unique_ptr<Held> hold() = 0;
};

}  // namespace sas::app
