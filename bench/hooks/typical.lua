-- The "typical" hooks `make bench` times against a build without hooks:
-- on_article reads the front matter (leaving out internal articles) and adds
-- a key; on_html marks links to other sites.
function on_article(article)
  if article.meta.internal then
    return false
  end
  article.meta.audience = article.category
end

local own = "^https?://help%.example%.com/"

function on_html(article, html)
  return (html:gsub('<a href="(https?://[^"]*)"', function(url)
    if url:find(own) then
      return nil
    end
    return '<a class="external" rel="external noopener" href="' .. url .. '"'
  end))
end
