-- Articles with `internal: true` in their front matter are for the support team:
-- returning false from on_article leaves them out of the site (and out of search).
-- A published article that links to one gets a warning.
function on_article(article)
  if article.meta.internal then
    return false
  end
end
