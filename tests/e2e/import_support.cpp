// Reports are parsed with a small RFC 4180 reader of our own, not with the
// product's reader: a test should not trust the code it checks.
#include "import_support.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <fmt/format.h>
#include <stdexcept>
#include <thread>

namespace prospect::test {

std::string lead_url(std::size_t i) { return fmt::format("https://www.linkedin.com/in/lead-{:06}", i); }

std::string lead_rows(std::size_t n, std::size_t first) {
    std::string out = "url\n";
    for (std::size_t i = first; i < first + n; ++i) out += fmt::format("linkedin.com/in/lead-{:06}\n", i);
    return out;
}

std::vector<std::string> importer_argv(const sandbox_process& s, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PROSPECT_IMPORT_BIN, "--base-url", s.url, "--ca-file", s.ca_file};
    auto given = [&](const char* option) { return std::find(args.begin(), args.end(), option) != args.end(); };
    if (!given("--campaign")) argv.insert(argv.end(), {"--campaign", std::string(campaign_1)});
    if (!given("--list")) argv.insert(argv.end(), {"--list", std::string(list_1)});
    // The default 5 requests/s would make the tests slow, not stronger.
    if (!given("--rate")) argv.insert(argv.end(), {"--rate", "2000"});
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

run_options with_key(const std::string& key) {
    run_options options;
    options.env.push_back("EXTROVERT_API_KEY=" + key);
    return options;
}

run_result import_into(const sandbox_process& s, std::vector<std::string> args, const std::string& key) {
    return run(importer_argv(s, args), with_key(key));
}

std::map<std::string, stored_prospect> stored(const sandbox_process& s) {
    tls_client client(s);
    auto reply = client.get("/_sandbox/prospects");
    if (reply.status != 200) throw std::runtime_error("GET /_sandbox/prospects: " + std::to_string(reply.status));
    std::map<std::string, stored_prospect> out;
    auto parsed = boost::json::parse(reply.body);
    for (const auto& v : parsed.as_array()) {
        const auto& o = v.as_object();
        auto [it, fresh] = out.try_emplace(std::string(o.at("prospectProfileUrl").as_string()));
        if (!fresh) throw std::runtime_error("the sandbox stores " + it->first + " twice");
        auto& p = it->second;
        p.campaign = o.at("campaignId").as_string();
        p.list = o.at("prospectListId").as_string();
        p.posts = static_cast<int>(o.at("posts").as_int64());
    }
    return out;
}

sandbox_stats stats(const sandbox_process& s) {
    tls_client client(s);
    auto reply = client.get("/_sandbox/stats");
    auto o = boost::json::parse(reply.body).as_object();
    sandbox_stats out;
    out.requests = o.at("requests").as_int64();
    out.dropped = o.at("dropped").as_int64();
    for (const auto& [k, v] : o.at("byStatus").as_object()) out.by_status[std::stoi(std::string(k))] = v.as_int64();
    return out;
}

sandbox_timeline timeline(const sandbox_process& s) {
    tls_client client(s);
    auto reply = client.get("/_sandbox/timeline");
    if (reply.status != 200) throw std::runtime_error("GET /_sandbox/timeline: " + std::to_string(reply.status));
    auto o = boost::json::parse(reply.body).as_object();
    sandbox_timeline out;
    out.posts = o.at("posts").as_int64();
    out.span_us = o.at("spanUs").as_int64();
    out.max_in_any_second = o.at("maxInAnySecond").as_int64();
    for (const auto& n : o.at("perSecond").as_array()) out.per_second.push_back(n.as_int64());
    return out;
}

void wait_until(const std::function<bool()>& ready, const char* what) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!ready()) {
        if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(std::string("timed out waiting for ") + what);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::vector<report_row> read_report(const std::string& path) {
    auto text = read_file(path);
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else if (c == '\n') {
            records.push_back(std::move(cells));
            cells.assign(1, {});
        } else {
            cells.back() += c;
        }
    }
    std::vector<report_row> rows;
    for (std::size_t i = 1; i < records.size(); ++i) {
        auto& r = records[i];
        if (r.size() != 10) throw std::runtime_error(fmt::format("{}: record {} has {} cells", path, i, r.size()));
        rows.push_back({std::stoul(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]});
    }
    return rows;
}

}  // namespace prospect::test
