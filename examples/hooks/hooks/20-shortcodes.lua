-- Shortcodes: {{< name key="value" >}} in Markdown calls shortcodes.name(args, inner, article).
-- Return Markdown text, or HTML wrapped in helpgen.html(...) (inserted as it is, after the
-- Markdown is rendered: escape what you put into it with helpgen.escape).

local product = helpgen.read_data("product.yaml")

-- {{< version >}} -> "4.2.1"; {{< version key="released" >}} -> another key of data/product.yaml
function shortcodes.version(args)
  local key = args.key or "version"
  local value = product[key]
  if value == nil then
    error("version: data/product.yaml has no key '" .. key .. "'", 0)
  end
  return tostring(value)
end

-- {{< video id="YOUTUBE_ID" title="What it shows" >}}: a click-to-load placeholder. Nothing is
-- requested from YouTube until the reader clicks: without JavaScript the link opens the video
-- on youtube-nocookie.com; with it, assets/video.js swaps in the player.
function shortcodes.video(args)
  local id = args.id or args[1]
  if not id or not id:match("^[%w_-]+$") then
    error('video: give the YouTube id, e.g. {{< video id="aqz-KE-bpKQ" title="..." >}}', 0)
  end
  local title = helpgen.escape(args.title or "Video")
  local url = "https://www.youtube-nocookie.com/embed/" .. id .. "?autoplay=1"
  return helpgen.html(table.concat({
    '<figure class="video-embed" data-video-src="', url, '" data-video-title="', title, '">',
    '<a class="video-embed-play" href="', url, '">',
    '<span class="video-embed-icon" aria-hidden="true">▶</span>',
    '<span class="video-embed-title">', title, '</span>',
    '<span class="video-embed-note">Plays from YouTube (youtube-nocookie.com). ',
    'Nothing is loaded from YouTube until you select play.</span>',
    '</a></figure>',
  }))
end

-- {{< details summary="Question" >}}Markdown{{< /details >}}: a collapsible answer.
function shortcodes.details(args, inner)
  return helpgen.html('<details class="hook-details"><summary>' .. helpgen.escape(args.summary or "More")
    .. '</summary>' .. helpgen.markdown(inner or "") .. '</details>')
end

-- {{< contact text="Contact us" >}}: a link to the support contact from helpgen.yaml.
function shortcodes.contact(args)
  local c = helpgen.config.contact or {}
  local target = c.url or (c.email and "mailto:" .. c.email)
  local text = args.text or c.label or "Contact support"
  if not target then
    return text
  end
  return "[" .. text .. "](" .. target .. ")"
end
