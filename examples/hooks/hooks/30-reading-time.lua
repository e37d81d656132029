-- Reading time for the theme: on_page returns values that every template can print as
-- HOOK_<KEY> (here {{HOOK_READING_TIME}} in themes/default/article.tpl).
local WORDS_PER_MINUTE = 230

function on_page(page)
  local article = page.article
  if not article then
    return nil
  end
  local minutes = math.max(1, math.floor((article.words + WORDS_PER_MINUTE - 1) / WORDS_PER_MINUTE))
  return {
    reading_time = minutes == 1 and "1 minute read" or (minutes .. " minutes read"),
  }
end
