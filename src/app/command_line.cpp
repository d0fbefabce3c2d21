// The only translation unit that includes CLI11. Raw flags live in
// raw_options; make_config() is where every value is checked, reading
// nothing; resolve_api_key() is the one step that reads the key.
#include "prospect/app/command_line.hpp"

#include "prospect/app/exit_status.hpp"
#include "prospect/app/log.hpp"
#include "prospect/app/version.hpp"
#include "prospect/csv/field.hpp"
#include "prospect/net/base_url.hpp"
#include "prospect/policy/outcome.hpp"
#include "prospect/report/format.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace prospect::app {
namespace {

struct raw_options {
    std::string input;
    std::string campaign, list;
    bool move_duplicates = false;
    bool dry_run = false;
    bool sandbox = false;
    std::string report;
    std::string report_format = "csv";
    std::optional<std::string> base_url;  // unset: net::default_base_url
    std::string api_key_file;
    bool strict = false;
    std::string ca_file;
    int connections = 4;
    double rate = 5;
    std::optional<double> burst;
    int max_retries = 5;
    double timeout = 30;
    double max_throttle_wait = 600;
    std::string journal;
    bool restart = false;
    std::string metrics_file;
    std::vector<std::string> columns;
    std::string delimiter;
    std::string encoding;
    std::string endpoint = "single";
    int batch_size = 100;
    bool delete_if_inactive = false;
    std::string shared_limit;
    std::string limit_name;
    bool quiet = false, verbose = false;
};

constexpr const char* examples = R"(Examples:
  Rehearse against a local sandbox (no API key, nothing leaves the machine):
    prospect-import --sandbox --campaign 8d256aa6-9b12-49a7-93ee-bf41634b5b60 \
                    --list cf33282b-b171-4d23-ae02-848499d793e4 leads.csv
  Validate a file without sending anything:
    prospect-import --dry-run --campaign UUID --list UUID leads.csv
  Import for real, key from a file only root can read, 10 requests/s:
    prospect-import --api-key-file /etc/prospect-import/key --rate 10 \
                    --campaign UUID --list UUID leads.csv
  Map headers the detector does not know, European export:
    prospect-import --column url="Profil LinkedIn" --delimiter ';' --dry-run ... leads.csv
  A campaign column that holds names, not IDs (Waalaxy): ignore it:
    prospect-import --column campaign= --campaign UUID --list UUID leads.csv
)";

// After the alias table (csv::alias_table_text) in the footer.
constexpr const char* after_columns = R"(
Several url columns (Phantombuster's profileUrl beside defaultProfileUrl): the
one whose first 1,000 cells hold the most profile URLs is taken; the run says
which column it took for each field, and why, when it starts.
)";

// After the report's header line (report::csv_header) and its outcomes.
constexpr const char* after_report = R"(
Exit status (the most severe applies: 70, 74, 3, 69, 130/143, 75, 1, 0):
  0  every row added (dry run: every row valid)  1  finished; a person reads the report
  2  usage or configuration error, nothing sent  3  API key refused or certificate not trusted
  4  another run holds the journal's or report's lock
  69 the endpoint is not there: check --base-url 70 internal error; a re-run resumes
  74 a local write failed (disk full, ...)       75 rows failed or not sent for now; retry later
  130/143 interrupted by SIGINT/SIGTERM

The API key comes from --api-key-file or the EXTROVERT_API_KEY environment
variable, never from the command line.)";

// The report's columns and outcomes as the report writer and the row
// machine spell them, not a copy that could fall behind.
std::string report_text() {
    std::string outcomes;
    for (auto o : policy::all_outcomes) outcomes += (outcomes.empty() ? "" : ", ") + std::string(to_string(o));
    return fmt::format("\nThe report (CSV_FILE.report.csv by default) has one record per data row:\n  {}  outcome: {}\n",
                       report::csv_header(), outcomes);
}

std::optional<lead::uuid> parse_uuid_option(const std::string& value, const char* option) {
    if (value.empty()) return std::nullopt;
    auto id = lead::parse_uuid(value);
    if (!id)
        throw usage_error(fmt::format("{} '{}' is not a UUID (expected 8-4-4-4-12 hexadecimal digits)", option,
                                      value));
    return id;
}

char parse_delimiter(const std::string& value) {
    if (value == "tab" || value == "\\t" || value == "\t") return '\t';
    if (value.size() == 1 && value[0] != '"' && value[0] != '\n' && value[0] != '\r') return value[0];
    throw usage_error(fmt::format("--delimiter '{}' must be one character (or 'tab'), not a quote or line break",
                                  value));
}

// "url, campaign, list or move": the field names as csv::field spells them,
// so that --help and the messages never list a field the reader lacks.
std::string field_names(std::string_view last_separator) {
    std::string out;
    for (std::size_t i = 0; i < csv::field_count; ++i) {
        if (i > 0) out += i + 1 == csv::field_count ? last_separator : std::string_view(", ");
        out += csv::to_string(static_cast<csv::field>(i));
    }
    return out;
}

std::vector<std::pair<csv::field, std::string>> parse_columns(const std::vector<std::string>& specs) {
    std::vector<std::pair<csv::field, std::string>> out;
    for (const auto& spec : specs) {
        auto eq = spec.find('=');
        auto field = eq == std::string::npos ? std::nullopt : csv::field_from_string(spec.substr(0, eq));
        if (!field)
            throw usage_error(fmt::format("--column '{}' must be FIELD=HEADER (or FIELD= to ignore a column) with "
                                          "FIELD one of {}",
                                          spec, field_names(", ")));
        out.emplace_back(*field, spec.substr(eq + 1));
    }
    return out;
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string trimmed(std::string s) {
    while (!s.empty() && is_blank(s.back())) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && is_blank(s[start])) ++start;
    return s.substr(start);
}

// A key file that group or others may read (or rewrite) is a key already
// shared: warn, or refuse with --strict before reading it. Only a regular
// file's mode means that; a pipe (--api-key-file <(pass show ...)) is ours alone.
std::string read_key_file(const std::string& path, bool strict, const log& out) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw usage_error(fmt::format("--api-key-file {}: cannot read it ({})", path, std::strerror(errno)));
    struct fd_closer {
        int fd;
        ~fd_closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0) {
        const bool readable = (st.st_mode & 044) != 0, writable = (st.st_mode & 022) != 0;
        auto problem = fmt::format("--api-key-file {}: group or other users can {} it (mode {:04o}); run chmod 600 {}",
                                   path, readable && writable ? "read and write" : readable ? "read" : "write",
                                   st.st_mode & 07777, path);
        if (strict) throw usage_error(problem + " (refused because of --strict)");
        out.error("warning: {}", problem);
    }
    std::string content;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0)
            throw usage_error(fmt::format("--api-key-file {}: cannot read it ({})", path, std::strerror(errno)));
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return content;
}

// The key never appears in a message: only where it came from.
std::string read_api_key(const std::string& key_file, const char* env, bool strict, const log& out) {
    std::string key, source;
    if (!key_file.empty()) {
        key = trimmed(read_key_file(key_file, strict, out));
        source = "--api-key-file " + key_file;
    } else if (env) {
        key = trimmed(env);
        source = "EXTROVERT_API_KEY";
    } else {
        throw usage_error(
            "no API key: set EXTROVERT_API_KEY or give --api-key-file PATH (or use --dry-run or --sandbox)");
    }
    if (key.empty()) throw usage_error(source + " holds an empty API key");
    for (char c : key)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            throw usage_error(source + " holds a control character inside the API key");
    return key;
}

// Edits (insert, delete, replace) that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// "; did you mean --rate?" for the first unknown long option within two
// edits of a real one (a typo), or nothing.
std::string did_you_mean(const CLI::App& cli, int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg.size() < 3 || arg.substr(0, 2) != "--") continue;
        arg = arg.substr(0, arg.find('='));
        std::string best;
        std::size_t best_distance = 3;
        bool known = false;
        for (const CLI::Option* o : cli.get_options()) {
            for (const auto& name : o->get_lnames()) {
                const auto candidate = "--" + name;
                if (candidate == arg) known = true;
                if (auto d = edit_distance(arg, candidate); d < best_distance) {
                    best_distance = d;
                    best = candidate;
                }
            }
        }
        if (!known && !best.empty()) return fmt::format("; did you mean {}?", best);
    }
    return {};
}

// `input_is_stream`: the input is '-' or not a regular file (a pipe, a FIFO).
config make_config(const raw_options& raw, bool input_is_stream) {
    config cfg;
    cfg.input_path = raw.input;
    cfg.reader.display_name = raw.input == "-" ? "standard input" : raw.input;
    if (!raw.delimiter.empty()) cfg.reader.delimiter = parse_delimiter(raw.delimiter);
    cfg.reader.columns = parse_columns(raw.columns);
    if (!raw.encoding.empty()) {
        cfg.reader.encoding = csv::encoding_from_string(raw.encoding);
        if (!cfg.reader.encoding)
            throw usage_error(fmt::format("--encoding '{}' must be utf-8, utf-16, windows-1252 or latin1", raw.encoding));
    }
    cfg.defaults.campaign = parse_uuid_option(raw.campaign, "--campaign");
    cfg.defaults.list = parse_uuid_option(raw.list, "--list");
    cfg.defaults.move = raw.move_duplicates;
    cfg.dry_run = raw.dry_run;
    cfg.sandbox = raw.sandbox;

    auto fmt_value = report::format_from_string(raw.report_format);
    if (!fmt_value) throw usage_error(fmt::format("--report-format '{}' must be csv or jsonl", raw.report_format));
    cfg.report_format = *fmt_value;
    // A report for standard input goes to standard output unless --report
    // says otherwise. Dry runs and rehearsals have reports of their own, so
    // that they never replace the report of a real import of the same file.
    const char* kind = raw.dry_run ? ".dry-run" : raw.sandbox ? ".sandbox" : "";
    const char* ext = cfg.report_format == report::format::jsonl ? ".report.jsonl" : ".report.csv";
    cfg.report_path = !raw.report.empty() ? raw.report : input_is_stream ? "-" : raw.input + kind + ext;
    // The embedded sandbox lives and dies with the process: nothing to resume.
    if (raw.sandbox || raw.dry_run)
        cfg.journal_path.clear();
    else if (!raw.journal.empty())
        cfg.journal_path = raw.journal;
    else if (cfg.report_path != "-")
        cfg.journal_path = cfg.report_path + ".journal";
    cfg.restart = raw.restart;
    cfg.metrics_file = raw.metrics_file;

    if (raw.connections < 1 || raw.connections > 256)
        throw usage_error(fmt::format("--connections {} must be between 1 and 256", raw.connections));
    if (!(raw.rate > 0) || !std::isfinite(raw.rate))
        throw usage_error(fmt::format("--rate {} must be a positive number of requests per second", raw.rate));
    double burst = raw.burst.value_or(raw.connections);
    if (!(burst >= 1) || !std::isfinite(burst))
        throw usage_error(fmt::format("--burst {} must be at least 1", burst));
    if (raw.max_retries < 0 || raw.max_retries > 100)
        throw usage_error(fmt::format("--max-retries {} must be between 0 and 100", raw.max_retries));
    if (!(raw.timeout > 0) || raw.timeout > 3600)
        throw usage_error(fmt::format("--timeout {} must be more than 0 and at most 3600 seconds", raw.timeout));
    if (raw.endpoint != "single" && raw.endpoint != "bulk")
        throw usage_error(fmt::format("--endpoint '{}' must be single or bulk", raw.endpoint));
    if (raw.batch_size < 1 || raw.batch_size > 1000)
        throw usage_error(fmt::format("--batch-size {} must be between 1 and 1000", raw.batch_size));
    if (raw.endpoint != "bulk" && (raw.batch_size != 100 || raw.delete_if_inactive))
        throw usage_error("--batch-size and --delete-if-inactive go with --endpoint bulk");
    if (!raw.limit_name.empty() && raw.shared_limit.empty())
        throw usage_error("--limit-name goes with --shared-limit");
    cfg.endpoint = raw.endpoint == "bulk" ? endpoint_kind::bulk : endpoint_kind::single;
    cfg.batch_size = raw.batch_size;
    cfg.delete_if_inactive = raw.delete_if_inactive;
    cfg.shared_limit = raw.shared_limit;
    cfg.limit_name = raw.limit_name;
    if (!(raw.max_throttle_wait >= 0) || raw.max_throttle_wait > 7 * 86400)
        throw usage_error(fmt::format("--max-throttle-wait {} must be between 0 and 604800 seconds",
                                      raw.max_throttle_wait));
    cfg.connections = raw.connections;
    cfg.rate = raw.rate;
    cfg.burst = burst;
    cfg.max_retries = raw.max_retries;
    cfg.timeout = std::chrono::milliseconds(static_cast<long long>(raw.timeout * 1000));
    cfg.max_throttle_wait = std::chrono::seconds(static_cast<long long>(raw.max_throttle_wait));
    cfg.base_url = raw.base_url.value_or(std::string(net::default_base_url));
    cfg.ca_file = raw.ca_file;
    cfg.verbosity = raw.quiet ? verbosity::quiet : raw.verbose ? verbosity::verbose : verbosity::normal;

    // Even the default spelled out: a rehearsal that names the real API is a
    // command line that does not say what its author meant.
    if (raw.sandbox && raw.base_url)
        throw usage_error(fmt::format("--sandbox and --base-url {} exclude each other: --sandbox imports into a "
                                      "local sandbox, never into a base URL",
                                      *raw.base_url));
    cfg.strict = raw.strict;
    cfg.api_key_file = raw.api_key_file;
    return cfg;
}

// A pipe or FIFO (/dev/stdin, <(...)) is read like '-', and reported likewise.
bool is_stream(const std::string& input) {
    struct stat st {};
    return input == "-" || (::stat(input.c_str(), &st) == 0 && !S_ISREG(st.st_mode));
}

}  // namespace

void resolve_api_key(config& cfg, const char* env_key) {
    if (!cfg.dry_run && !cfg.sandbox)
        cfg.api_key = read_api_key(cfg.api_key_file, env_key, cfg.strict, log(cfg.verbosity));
}

parse_result parse_command_line(int argc, const char* const* argv) {
    auto parsed = parse_options(argc, argv);
    if (parsed.cfg) resolve_api_key(*parsed.cfg, std::getenv("EXTROVERT_API_KEY"));
    return parsed;
}

parse_result parse_options(int argc, const char* const* argv) {
    raw_options raw;
    CLI::App cli{"prospect-import: adds every lead of a CSV file to an Extrovert campaign's prospect list, "
                 "as fast as the API's rate limit allows, and writes a per-row report.",
                 "prospect-import"};
    cli.footer(std::string(examples) + "\nColumns recognised (case, spaces, '_' and '-' ignored):\n" +
               csv::alias_table_text() + after_columns + report_text() + after_report);
    cli.set_version_flag("--version", std::string("prospect-import ") + std::string(version));
    cli.get_formatter()->column_width(34);

    cli.add_option("CSV_FILE", raw.input, "lead file ('-' = standard input)")->required();
    cli.add_option("--campaign", raw.campaign, "campaignId for rows that carry none")->type_name("UUID");
    cli.add_option("--list", raw.list, "prospectListId for rows that carry none")->type_name("UUID");
    cli.add_flag("--move-duplicates,!--no-move-duplicates", raw.move_duplicates,
                 "moveDuplicatedProspect for rows that carry none (default: no)");
    cli.add_flag("--dry-run", raw.dry_run, "read, validate, de-duplicate and report; send nothing");
    cli.add_flag("--sandbox", raw.sandbox, "import into an in-process sandbox on loopback (no API key)");
    cli.add_option("--report", raw.report, "per-row report ('-' = standard output) [CSV_FILE.report.csv]")
        ->type_name("PATH");
    cli.add_option("--report-format", raw.report_format, "csv or jsonl [csv]")->type_name("FORMAT");
    cli.add_option("--base-url", raw.base_url, fmt::format("API base URL [{}]", net::default_base_url))
        ->type_name("URL");
    cli.add_option("--api-key-file", raw.api_key_file, "file holding the API key [env EXTROVERT_API_KEY]")
        ->type_name("PATH");
    cli.add_flag("--strict", raw.strict,
                 "refuse an API key file that group or others can read or write (default: warn)");
    cli.add_option("--ca-file", raw.ca_file, "extra trusted CA certificates (PEM)")->type_name("PEM");
    cli.add_option("--connections", raw.connections, "keep-alive TLS connections [4]")->type_name("N");
    cli.add_option("--rate", raw.rate, "requests per second, fractional allowed [5]")->type_name("R");
    cli.add_option("--burst", raw.burst, "token bucket capacity [--connections]")->type_name("B");
    cli.add_option("--max-retries", raw.max_retries, "retries of one row after its first attempt [5]")
        ->type_name("N");
    cli.add_option("--timeout", raw.timeout, "one request's deadline in seconds [30]")->type_name("SECONDS");
    cli.add_option("--max-throttle-wait", raw.max_throttle_wait,
                   "how long one row may keep getting 429 before it fails [600]")
        ->type_name("SECONDS");
    cli.add_option("--journal", raw.journal, "resume journal [REPORT.journal]")->type_name("PATH");
    cli.add_flag("--restart", raw.restart,
                 "discard the journal of an earlier run and start afresh (its rows may be sent again)");
    cli.add_option("--metrics-file", raw.metrics_file, "write Prometheus metrics there at the end (textfile)")
        ->type_name("PATH");
    cli.add_option("--column", raw.columns,
                   "map a header to " + field_names(" or ") +
                       " (FIELD= ignores the column detected); repeatable; the headers detected are listed below")
        ->type_name("FIELD=HEADER");
    cli.add_option("--encoding", raw.encoding, "utf-8, utf-16, windows-1252 or latin1 [utf-8; utf-16 by its BOM]")
        ->type_name("E");
    cli.add_option("--delimiter", raw.delimiter, "field delimiter [detected among , ; tab]")->type_name("C");
    cli.add_option("--endpoint", raw.endpoint,
                   "single: a request a row, the API's message for each refused row; bulk: --batch-size URLs a "
                   "request (v2), far faster under a request limit, never moves another user's prospect, stops at "
                   "the plan's URL limit [single]")
        ->type_name("KIND");
    cli.add_option("--batch-size", raw.batch_size, "with --endpoint bulk: URLs a request, 1 to 1000 [100]")
        ->type_name("N");
    cli.add_flag("--delete-if-inactive", raw.delete_if_inactive,
                 "with --endpoint bulk: the API later removes prospects with no recent LinkedIn post");
    cli.add_option("--shared-limit", raw.shared_limit,
                   "share --rate with every importer on this Redis (redis://HOST:PORT[/DB] or unix:///PATH)")
        ->type_name("URL");
    cli.add_option("--limit-name", raw.limit_name,
                   "with --shared-limit: which shared limit to join [derived from the base URL and the key]")
        ->type_name("NAME");
    auto* quiet = cli.add_flag("--quiet,-q", raw.quiet, "only errors and the summary on standard error");
    cli.add_flag("--verbose,-v", raw.verbose, "more detail on standard error")->excludes(quiet);

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return {std::nullopt, cli.exit(e)};
    } catch (const CLI::CallForVersion& e) {
        return {std::nullopt, cli.exit(e)};
    } catch (const CLI::ParseError& e) {
        throw usage_error(std::string(e.what()) + did_you_mean(cli, argc, argv) + " (see prospect-import --help)");
    }
    return {make_config(raw, is_stream(raw.input)), 0};
}

}  // namespace prospect::app
