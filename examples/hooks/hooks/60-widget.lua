-- After the build: widget/articles.json, the article list the in-app help widget reads.
-- helpgen.write only writes inside the output folder.
function on_build_end(site)
  local articles = {}
  for _, a in ipairs(site.articles) do
    articles[#articles + 1] = {
      title = a.title,
      description = a.description,
      url = site.base_url .. a.url,
      category = a.category_title,
      tags = a.tags,
    }
  end
  helpgen.write("widget/articles.json", helpgen.json({ site = site.title, articles = articles }))
end
