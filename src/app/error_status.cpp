// Startup errors carry their own status; anything else that escapes a run is
// the importer's own failure (70), never "rotate the key" (3).
#include "prospect/app/error_status.hpp"

#include "prospect/csv/record_reader.hpp"
#include "prospect/report/report_writer.hpp"

#include <new>

namespace prospect::app {

error_verdict verdict_for(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const fatal_error& x) {
        return {x.status, x.what()};
    } catch (const csv::input_error& x) {
        return {exit_usage, x.what()};
    } catch (const report::report_error& x) {
        // Thrown before the run starts (the report cannot be created); during
        // the run the import turns write failures into exit 74 itself.
        return {exit_usage, x.what()};
    } catch (const std::bad_alloc&) {
        return {exit_internal, "aborted: out of memory"};
    } catch (const std::exception& x) {
        return {exit_internal, std::string("aborted by an internal error: ") + x.what()};
    } catch (...) {
        return {exit_internal, "aborted by an internal error of unknown type"};
    }
}

}  // namespace prospect::app
