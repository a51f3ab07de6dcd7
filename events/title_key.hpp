#pragma once
// Title keys: the normalized forms of a film's titles that matching compares.
// A key ignores case, accents, punctuation and spacing, reads "&" as "and" and
// "½" as "1/2",
// drops a leading article and, in a title of two words or more, writes Roman
// numerals II..XX and number words (two..twenty, the tens to ninety) as digits
// and dr, mr, st, vs as doctor, mister, saint, versus, so that "Usual Suspects,
// The (1995)", "The Usual Suspects" and "USUAL SUSPECTS" agree, and "Daddy's Home
// Two" is "Daddy's Home 2" (but "Nine" is not "9"). "3D" / "3-D" are left out (a
// format: "Shark Night 3D" is "Shark Night"); "⅓" is "1/3".
// Keys are for blocking (which movies to score); scoring compares title forms,
// the same normalization kept as words (articles kept, the subtitle marked).
// Pure functions, no I/O.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace moviec::events {

/// How strongly a key stands for the film: its own title, another title it is
/// known by, or only the part before a subtitle.
enum class TitleKind : std::uint8_t {
  primary = 0,    // the title itself
  alternate = 1,  // a bracketed alternate, an a.k.a., a localized name (akas), the unsplit title
  partial = 2,    // the main title before ':' or ' - ' ("Star Wars" of "Star Wars: Episode IV - A New Hope")
};

std::string_view kind_name(TitleKind kind);

struct TitleKey {
  std::string key;
  TitleKind kind = TitleKind::primary;
  bool operator==(const TitleKey& o) const { return key == o.key && kind == o.kind; }
};

/// A title as sources write it, taken apart: a trailing "(1995)" dropped, trailing
/// bracketed parts split off as alternates ("(a.k.a. X)" gives X), and a trailing
/// article moved to the front ("Usual Suspects, The" -> "The Usual Suspects").
struct TitleParts {
  std::string main;
  std::vector<std::string> alternates;
  std::string unsplit;  // main with its bracketed parts, year dropped, article moved
};
TitleParts split_title(std::string_view title);

/// "Usual Suspects, The" -> "The Usual Suspects"; other titles unchanged.
std::string move_trailing_article(std::string_view title);

/// The comparison key of one title (see the top of this file); "" when it has no
/// letter or digit.
std::string title_key(std::string_view title);

/// Every key of a film: its title (split as above), `other_names` (akas) as
/// alternates, and the partial key of its main title; with `repair_mojibake`,
/// also the keys of repaired spellings (events/mojibake.hpp). Deduplicated, the
/// strongest kind kept per key, in kind order.
std::vector<TitleKey> title_keys(std::string_view title, const std::vector<std::string>& other_names,
                                 bool repair_mojibake);

/// A title as scoring compares it: its words, normalized as keys are (case,
/// accents, punctuation, "&" as "and", apostrophes dropped, numbers as digits)
/// but with articles kept, and where its main title ends.
struct TitleForm {
  std::vector<std::string> words;
  std::size_t main_words = 0;  // words before a subtitle separator (':', ' - '); 0 = no subtitle
  std::size_t last_subtitle_words = 0;  // words after the last separator (0 = no subtitle)
  TitleKind kind = TitleKind::primary;  // primary or alternate
  bool operator==(const TitleForm& o) const {
    return words == o.words && main_words == o.main_words && last_subtitle_words == o.last_subtitle_words &&
           kind == o.kind;
  }
};

/// The words of one title as a TitleForm (kind primary).
TitleForm title_form(std::string_view title);

/// Every form of a film's titles: the title's main part (primary), the title
/// unsplit and its bracketed alternates, and `other_names` (alternate); with
/// `repair_mojibake` also repaired spellings. Deduplicated, primary first.
std::vector<TitleForm> title_forms(std::string_view title, const std::vector<std::string>& other_names,
                                   bool repair_mojibake);

/// True for a word that is an article ("the", "a", "les", ...): weak evidence.
bool is_article(std::string_view word);

}  // namespace moviec::events
