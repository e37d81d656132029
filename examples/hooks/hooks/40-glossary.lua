-- Glossary terms from data/glossary.yaml are linked on their first use in each article
-- (outside headings, links and code), with the definition as the tooltip.

local terms = {}
for _, entry in ipairs(helpgen.read_data("glossary.yaml")) do
  -- "two-step verification" -> a case-insensitive pattern for the whole words
  local pattern = entry.term:gsub("%p", "%%%0"):gsub("%a", function(c)
    return "[" .. c:lower() .. c:upper() .. "]"
  end):gsub(" ", "%%s+")
  terms[#terms + 1] = {
    pattern = "%f[%w]" .. pattern .. "%f[%W]",
    definition = helpgen.escape(entry.definition),
    article = entry.article,
  }
end
-- longer terms first, so "two-step verification" wins over a shorter term inside it
table.sort(terms, function(a, b)
  if #a.pattern ~= #b.pattern then return #a.pattern > #b.pattern end
  return a.pattern < b.pattern
end)

local SKIP = { a = true, code = true, pre = true, h1 = true, h2 = true, h3 = true, h4 = true,
               h5 = true, h6 = true, summary = true, figure = true }

-- Links the first use of each term in one run of text; `done` remembers the terms used.
local function link_terms(text, article, done, out)
  for i, t in ipairs(terms) do
    if not done[i] and t.article ~= article.path then
      local s, e = text:find(t.pattern)
      if s then
        done[i] = true
        local word = text:sub(s, e)
        local href = t.article and helpgen.url_for(t.article)
        local tag = href
          and '<a class="glossary-term" href="' .. href .. '" title="' .. t.definition .. '">' .. word .. '</a>'
          or '<abbr class="glossary-term" title="' .. t.definition .. '">' .. word .. '</abbr>'
        -- the text before and after may hold other terms
        link_terms(text:sub(1, s - 1), article, done, out)
        out[#out + 1] = tag
        link_terms(text:sub(e + 1), article, done, out)
        return
      end
    end
  end
  out[#out + 1] = text
end

function on_html(article, html)
  local out, done, skip, pos = {}, {}, 0, 1
  while true do
    local s, e, close, name = html:find("<(/?)(%w+)[^>]*>", pos)
    local text = html:sub(pos, (s or #html + 1) - 1)
    if skip == 0 then
      link_terms(text, article, done, out)
    else
      out[#out + 1] = text
    end
    if not s then
      break
    end
    name = name:lower()
    if SKIP[name] then
      skip = skip + (close == "/" and -1 or 1)
    end
    out[#out + 1] = html:sub(s, e)
    pos = e + 1
  end
  return table.concat(out)
end
