// covercheck command line: the same core and the same JSON contract as the page.
//   covercheck query --code 47371 --product medicare-ppo-blue --setting outpatient [--date D] [--json]
//   covercheck matrix --code 47371,47381 [--product P,...] [--setting S,...] [--date D] [--json]
//   covercheck search TEXT [--json] · covercheck validate FILE... · covercheck version [--json]
//   covercheck import SOURCE.txt [--report] [--id ID] [--json]
// Exit status: 0 answered, 1 bad input, 2 bad data (import: 2 incomplete, needs review).
#include <filesystem>
#include <algorithm>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "covercheck/importer.hpp"
#include "covercheck/service.hpp"
#include "data_files.hpp"

namespace {

using nlohmann::ordered_json;

constexpr int exit_answered = 0;
constexpr int exit_bad_input = 1;
constexpr int exit_bad_data = 2;

const char* const usage = R"(usage:
  covercheck query --code CODE --product PRODUCT --setting inpatient|outpatient [--date YYYY-MM-DD] [--json]
  covercheck matrix --code CODE[,CODE...] [--product P[,P...]] [--setting S[,S...]] [--date YYYY-MM-DD] [--json]
  covercheck search TEXT [--json]
  covercheck products [--json]
  covercheck validate FILE|DIR...
  covercheck version [--json]
  covercheck import SOURCE.txt [--report] [--id ID] [--publisher NAME] [--source-file PATH]
                    [--effective-from YYYY-MM-DD] [--effective-basis TEXT] [--json]
options:
  --data PATH   policy data: a policy-data directory or a bundle file (default: the repository's policy-data)
  --json        print the result envelope {"success":...} instead of text
import: reads a policy document as text and prints its policy JSON on stdout; --report prints
  every finding on stderr (otherwise only a summary when the result needs review).
  --id              default: the file name without .txt (bcbsma-633.txt -> bcbsma-633)
  --source-file     default: sources/<file name> (source.file is relative to policy-data/)
  --publisher       used only when the document does not name its publisher
  --effective-from  default: the first day of the month of the last review in the policy history
  --effective-basis default: "The bundled text is the version of the policy last reviewed MM/YYYY; ..."
exit status: 0 answered, 1 bad input, 2 bad data
  import: 0 complete, 1 unreadable file, not a policy document or bad option,
          2 incomplete: policy JSON printed, but findings need review (see --report)
)";

struct arguments {
    std::string command;
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;
    bool json = false;
    bool report = false;
};

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::string current;
    for (char c : text) {
        if (c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\t') {
            if (!current.empty()) items.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) items.push_back(current);
    return items;
}

int report_error(const ordered_json& envelope, bool as_json) {
    const auto& e = envelope.at("error");
    const auto code = e.at("code").get<std::string>();
    if (as_json) std::cout << envelope.dump(2) << '\n';
    std::cerr << "covercheck: " << e.at("message").get<std::string>() << " [" << code;
    if (!e.at("path").get<std::string>().empty()) std::cerr << " at " << e.at("path").get<std::string>();
    std::cerr << "]\n";
    return code.rfind("data.", 0) == 0 ? exit_bad_data : exit_bad_input;
}

std::string upper_status(const std::string& status) {
    std::string out;
    for (char c : status) out += c == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void print_answer(const ordered_json& data) {
    const auto& code = data.at("code");
    std::cout << code.at("code").get<std::string>();
    if (code.contains("description")) {
        std::cout << "  " << code.at("description").get<std::string>() << " (" << code.at("system").get<std::string>()
                  << ")";
    }
    std::cout << "\nProduct:   " << data.at("product").at("label").get<std::string>() << ", "
              << data.at("query").at("setting").get<std::string>();
    if (data.at("query").contains("date")) std::cout << ", date of service " << data["query"]["date"].get<std::string>();
    const auto& coverage = data.at("coverage");
    std::cout << "\nCoverage:  " << upper_status(coverage.at("status").get<std::string>()) << '\n';
    if (coverage.contains("statement")) std::cout << "           \"" << coverage["statement"].get<std::string>() << "\"\n";
    if (coverage.contains("reason")) std::cout << "           " << coverage["reason"].get<std::string>() << '\n';
    const auto& authorization = data.at("authorization");
    std::cout << "Prior authorization (" << authorization.at("setting").get<std::string>()
              << "): " << upper_status(authorization.at("status").get<std::string>()) << '\n';
    if (authorization.contains("statement")) {
        std::cout << "           \"" << authorization["statement"].get<std::string>() << "\"\n";
    }
    if (authorization.contains("reason") && authorization["reason"] != coverage.value("reason", "")) {
        std::cout << "           " << authorization["reason"].get<std::string>() << '\n';
    }
    if (data.contains("policy")) {
        const auto& p = data["policy"];
        std::cout << "Policy:    " << p.at("publisher").get<std::string>() << " Medical Policy "
                  << p.at("number").get<std::string>() << ", " << p.at("title").get<std::string>();
        if (p.contains("bcbsa_reference")) std::cout << " (BCBSA " << p["bcbsa_reference"].get<std::string>() << ")";
        std::cout << ", last reviewed " << p.at("last_review").get<std::string>() << '\n';
        for (const auto& related : p.at("related_policies")) {
            std::cout << "  related: #" << related.at("number").get<std::string>() << " "
                      << related.at("title").get<std::string>() << '\n';
        }
    }
    for (const auto& notice : data.at("notices")) std::cout << "Notice:    " << notice.get<std::string>() << '\n';
    std::cout << "Data version " << data.at("data_version").get<std::string>()
              << ". Informational only, not a guarantee of coverage.\n";
}

void print_matrix(const ordered_json& data) {
    std::cout << "code   product                    setting      coverage                  authorization\n";
    for (const auto& cell : data.at("cells")) {
        auto pad = [](std::string text, std::size_t width) {
            if (text.size() < width) text.append(width - text.size(), ' ');
            return text;
        };
        std::cout << pad(cell.at("code").get<std::string>(), 7) << pad(cell.at("product").get<std::string>(), 27)
                  << pad(cell.at("setting").get<std::string>(), 13) << pad(cell.at("coverage").get<std::string>(), 26)
                  << cell.at("authorization").get<std::string>() << '\n';
    }
    for (const auto& code : data.at("codes")) {
        if (!code.contains("description")) {
            std::cout << "note: no policy in this data lists " << code.at("code").get<std::string>()
                      << " (not-in-data is not the same as not covered)\n";
        }
    }
    std::cout << "Data version " << data.at("data_version").get<std::string>() << '\n';
}

int answer(const std::string& envelope_text, bool as_json, void (*print)(const ordered_json&)) {
    const auto envelope = ordered_json::parse(envelope_text);
    if (!envelope.at("success").get<bool>()) return report_error(envelope, as_json);
    if (as_json) {
        std::cout << envelope.dump(2) << '\n';
    } else {
        print(envelope.at("data"));
    }
    return exit_answered;
}

// The file name as a policy id: "bcbsma-633.txt" -> "bcbsma-633", "BCBSMA 633.txt" -> "bcbsma-633".
std::string id_from_file_name(const std::filesystem::path& file) {
    std::string id;
    for (char c : file.stem().string()) {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9')) {
            id += l;
        } else if (!id.empty() && id.back() != '-') {
            id += '-';
        }
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id.size() <= 64 ? id : std::string();
}

int import_document(const arguments& args, const std::string& data_path) {
    if (args.positional.size() != 1) {
        std::cerr << "covercheck import: name one policy document (a .txt file)\n" << usage;
        return exit_bad_input;
    }
    const std::filesystem::path file(args.positional[0]);
    std::string problem;
    const auto text = covercheck::files::read_text(file, problem);
    if (!text) {
        std::cerr << "covercheck import: " << problem << '\n';
        return exit_bad_input;
    }
    auto options = nlohmann::json::object();
    options["id"] = args.options.count("id") ? args.options.at("id") : id_from_file_name(file);
    options["source_file"] = args.options.count("source-file") ? args.options.at("source-file")
                                                              : "sources/" + file.filename().string();
    for (const auto& [flag, field] : {std::pair<const char*, const char*>{"publisher", "publisher"},
                                      {"effective-from", "effective_from"},
                                      {"effective-basis", "effective_basis"}}) {
        if (args.options.count(flag)) options[field] = args.options.at(flag);
    }
    // The result is checked against the products of the policy data, when there are any.
    std::error_code ec;
    if (std::filesystem::is_directory(data_path, ec)) {
        if (auto products = covercheck::files::read_text(std::filesystem::path(data_path) / "products.json", problem)) {
            try {
                options["products"] = nlohmann::json::parse(*products).at("products");
            } catch (const nlohmann::json::exception&) {
                std::cerr << "covercheck import: " << data_path << "/products.json cannot be read; using the built-in products\n";
            }
        }
    }
    const auto envelope = ordered_json::parse(covercheck::import_policy_envelope(*text, options.dump()));
    if (!envelope.at("success").get<bool>()) return report_error(envelope, args.json);
    const auto& data = envelope.at("data");
    int refused = 0;
    int review = 0;
    for (const auto& finding : data.at("report")) {
        const auto severity = finding.at("severity").get<std::string>();
        const auto code = finding.at("code").get<std::string>();
        if (severity == "error" || code == "import.invalid_option") ++refused;
        if (severity == "review") ++review;
        if (!args.report && severity == "note") continue;
        if (!args.report && refused == 0) continue;
        std::cerr << file.string();
        if (finding.contains("lines")) {
            const auto first = finding["lines"][0].get<int>();
            const auto last = finding["lines"][1].get<int>();
            std::cerr << ':' << first;
            if (last != first) std::cerr << '-' << last;
        }
        std::cerr << ": " << severity << ": " << code << ": " << finding.at("message").get<std::string>();
        if (finding.contains("section")) std::cerr << " [" << finding["section"].get<std::string>() << ']';
        if (finding.contains("path")) std::cerr << " (at " << finding["path"].get<std::string>() << ')';
        std::cerr << '\n';
    }
    if (refused > 0) {
        if (args.json) std::cout << envelope.dump(2) << '\n';
        std::cerr << "covercheck import: " << file.string() << " could not be imported\n";
        return exit_bad_input;
    }
    std::cout << (args.json ? envelope.dump(2) : data.at("policy").dump(2)) << '\n';
    if (!data.at("complete").get<bool>()) {
        std::cerr << "covercheck import: " << file.string() << ": incomplete, " << review
                  << " finding(s) need review" << (args.report ? "" : " (run with --report to see them)") << '\n';
        return exit_bad_data;
    }
    return exit_answered;
}

// A bundle file (as built for the page) rather than a policy-data directory.
bool bundle_file(const std::string& location) {
    std::error_code ec;
    return !std::filesystem::is_directory(location, ec);
}

int validate(const std::vector<std::string>& files, const std::string& data_dir) {
    if (files.empty()) {
        std::cerr << "covercheck validate: name at least one policy file, bundle or policy-data directory\n";
        return exit_bad_input;
    }
    int status = exit_answered;
    for (const auto& file : files) {
        std::string problem;
        auto text = covercheck::files::read_bundle(file, problem);
        if (!text) {
            // A file that cannot be read is a bad argument, not bad data.
            std::cerr << file << ": " << problem << '\n';
            status = std::max(status, exit_bad_input);
            continue;
        }
        // A bundle file is a build output and must carry its digest; source data has none.
        covercheck::load_options options{bundle_file(file)};
        if (text) {
            // A single policy file is checked against the products of the data directory.
            try {
                auto parsed = nlohmann::json::parse(*text);
                if (parsed.is_object() && parsed.contains("id") && !parsed.contains("policies")) {
                    options.require_digest = false;
                    auto products_text = covercheck::files::read_text(std::filesystem::path(data_dir) / "products.json",
                                                                      problem);
                    if (!products_text) {
                        text.reset();
                    } else {
                        auto products = nlohmann::json::parse(*products_text);
                        nlohmann::json bundle{{"schema_version", 1},
                                              {"publisher", products.value("publisher", "")},
                                              {"products", products.at("products")}};
                        // The policy goes in as written, so that the core reads the file itself.
                        auto wrapped = bundle.dump();
                        wrapped.pop_back();
                        text = wrapped + ",\"policies\":[" + *text + "]}";
                    }
                }
            } catch (const nlohmann::json::exception&) {
                // Not JSON: the service reports it precisely below.
            }
        }
        if (!text) {
            std::cerr << file << ": " << problem << '\n';
            status = exit_bad_data;  // the data directory's products.json
            continue;
        }
        const covercheck::service checked(*text, options);
        const auto version = ordered_json::parse(checked.version());
        if (version.at("success").get<bool>()) {
            const auto& data = version.at("data");
            std::cout << file << ": valid, " << data.at("policies").size() << " policy(ies), "
                      << data.at("code_count").get<std::size_t>() << " code(s), data version "
                      << data.at("data_version").get<std::string>() << '\n';
        } else {
            const auto& e = version.at("error");
            std::cerr << file << ": " << e.at("code").get<std::string>() << " at "
                      << (e.at("path").get<std::string>().empty() ? "/" : e.at("path").get<std::string>()) << ": "
                      << e.at("message").get<std::string>() << '\n';
            status = exit_bad_data;
        }
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    arguments args;
    std::vector<std::string> raw(argv + 1, argv + argc);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        const auto& item = raw[i];
        if (item == "--json") {
            args.json = true;
        } else if (item == "--report") {
            args.report = true;
        } else if (item == "--help" || item == "-h") {
            std::cout << usage;
            return exit_answered;
        } else if (item.rfind("--", 0) == 0) {
            if (i + 1 >= raw.size()) {
                std::cerr << "covercheck: " << item << " needs a value\n" << usage;
                return exit_bad_input;
            }
            args.options[item.substr(2)] = raw[++i];
        } else if (args.command.empty()) {
            args.command = item;
        } else {
            args.positional.push_back(item);
        }
    }
    const std::string data_path = args.options.count("data") ? args.options["data"] : COVERCHECK_DEFAULT_DATA;
    for (const auto& [name, value] : args.options) {
        static const std::vector<std::string> known = {"data",      "code",        "product",        "setting",
                                                       "date",      "id",          "publisher",      "source-file",
                                                       "effective-from", "effective-basis"};
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            std::cerr << "covercheck: unknown option --" << name << "\n" << usage;
            return exit_bad_input;
        }
    }
    if (args.command.empty()) {
        std::cerr << usage;
        return exit_bad_input;
    }
    if (args.command == "validate") return validate(args.positional, data_path);
    if (args.command == "import") return import_document(args, data_path);

    std::string problem;
    const auto bundle = covercheck::files::read_bundle(data_path, problem);
    if (!bundle) {
        std::cerr << "covercheck: cannot read the policy data: " << problem << '\n';
        return exit_bad_data;
    }
    const covercheck::service checker(*bundle, covercheck::load_options{bundle_file(data_path)});

    try {
        if (args.command == "query") {
            auto request = ordered_json::object();
            for (const char* field : {"code", "product", "setting", "date"}) {
                if (args.options.count(field)) request[field] = args.options[field];
            }
            return answer(checker.evaluate(request.dump()), args.json, print_answer);
        }
        if (args.command == "matrix") {
            auto request = ordered_json::object();
            if (args.options.count("code")) request["codes"] = split_list(args.options["code"]);
            if (args.options.count("product")) request["products"] = split_list(args.options["product"]);
            if (args.options.count("setting")) request["settings"] = split_list(args.options["setting"]);
            if (args.options.count("date")) request["date"] = args.options["date"];
            return answer(checker.matrix(request.dump()), args.json, print_matrix);
        }
        if (args.command == "search") {
            std::string text;
            for (const auto& word : args.positional) text += (text.empty() ? "" : " ") + word;
            return answer(checker.search(text), args.json, [](const ordered_json& data) {
                for (const auto& hit : data.at("results")) {
                    std::cout << hit.at("code").get<std::string>() << "  " << hit.at("description").get<std::string>()
                              << "  (policy " << hit.at("policy").at("number").get<std::string>() << ")\n";
                }
            });
        }
        if (args.command == "products") {
            return answer(checker.products(), args.json, [](const ordered_json& data) {
                for (const auto& p : data.at("products")) {
                    std::cout << p.at("id").get<std::string>() << "  " << p.at("label").get<std::string>() << '\n';
                }
            });
        }
        if (args.command == "version") {
            return answer(checker.version(), args.json, [](const ordered_json& data) {
                std::cout << "covercheck " << data.at("engine").get<std::string>() << ", data version "
                          << data.at("data_version").get<std::string>() << " ("
                          << data.at("digest").get<std::string>() << ")\n";
                for (const auto& p : data.at("policies")) {
                    std::cout << "  policy " << p.at("number").get<std::string>() << "  "
                              << p.at("title").get<std::string>() << ", last reviewed "
                              << p.at("last_review").get<std::string>() << '\n';
                }
            });
        }
    } catch (const std::exception& e) {
        std::cerr << "covercheck: " << e.what() << '\n';
        return exit_bad_input;
    }
    std::cerr << "covercheck: unknown command \"" << args.command << "\"\n" << usage;
    return exit_bad_input;
}
