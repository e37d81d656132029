-- Links to other sites get class="external" (the theme shows an arrow) and a note for
-- screen readers; links to this help center (base_url) stay as they are.
local own = (helpgen.config.base_url or ""):match("^https?://([^/]+)")

function on_html(article, html)
  return (html:gsub('<a href="(https?://[^"]+)"([^>]*)>(.-)</a>', function(url, attrs, text)
    if url:match("^https?://([^/:]+)") == own then
      return nil
    end
    return '<a class="external" rel="external noopener" href="' .. url .. '"' .. attrs .. '>'
      .. text .. '<span class="visually-hidden"> (another website)</span></a>'
  end))
end
