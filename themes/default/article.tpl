{{%AUTOESCAPE context="HTML"}}
{{!An article. Wide screens: sidebar | article | table of contents; phones: one column, sidebar last.}}
<!doctype html>
<html lang="{{LANG}}" dir="{{DIR}}">
<head>
{{>HEAD}}
</head>
<body class="page-{{PAGE_KIND}}">
{{>HEADER}}
<main id="main" tabindex="-1">
<div class="hg-wrap">
{{#HAS_BREADCRUMBS}}
<nav class="hg-crumbs" aria-label="Breadcrumb"><ol>{{#BREADCRUMBS}}<li><a href="{{CRUMB_URL}}">{{CRUMB_TITLE}}</a></li>{{/BREADCRUMBS}}<li aria-current="page">{{PAGE_TITLE}}</li></ol></nav>
{{/HAS_BREADCRUMBS}}
<div class="hg-doc">
<article class="hg-article" data-hg-recent-path="{{PAGE_PATH}}" data-hg-recent-title="{{ART_TITLE}}">
<header class="hg-page-head">
<h1>{{ART_TITLE}}</h1>
<p class="hg-meta">{{#HAS_DATES}}{{#HAS_UPDATED}}<span>{{T_UPDATED}} <time datetime="{{UPDATED_ISO}}">{{UPDATED_TEXT}}</time></span>{{/HAS_UPDATED}}{{/HAS_DATES}}<span>{{READING_MINUTES}} {{T_MIN_READ}}</span></p>
</header>
{{#HAS_TOC}}
<nav class="hg-toc" aria-labelledby="hg-toc-title">
<h2 id="hg-toc-title">{{T_ON_THIS_PAGE}}</h2>
<ol>{{#TOC}}<li class="hg-toc-{{TOC_LEVEL}}"><a href="#{{TOC_ID}}">{{TOC_TEXT}}</a></li>{{/TOC}}</ol>
</nav>
{{/HAS_TOC}}
<div class="hg-content" data-hg-copy="{{T_COPY}}" data-hg-copied="{{T_COPIED}}" data-hg-anchor="{{T_ANCHOR}}">
{{CONTENT:none}}
</div>
{{#HAS_TAGS}}
<div class="hg-tags"><h2>{{T_TAGS}}</h2><ul>{{#TAGS}}<li>{{TAG}}</li>{{/TAGS}}</ul></div>
{{/HAS_TAGS}}
{{>FEEDBACK}}
{{>RELATED_ARTICLES}}
<nav class="hg-pager" aria-label="{{T_PREV}} / {{T_NEXT}}">
{{#HAS_PREV}}
<a class="hg-prev" href="{{PREV_URL}}" rel="prev"><span class="hg-pager-label">{{T_PREV}}</span>{{PREV_TITLE}}</a>
{{/HAS_PREV}}
{{#HAS_NEXT}}
<a class="hg-next" href="{{NEXT_URL}}" rel="next"><span class="hg-pager-label">{{T_NEXT}}</span>{{NEXT_TITLE}}</a>
{{/HAS_NEXT}}
</nav>
</article>
{{#HAS_SIDEBAR}}
<aside class="hg-sidebar" aria-label="{{T_IN_THIS_SECTION}}">
<h2><a href="{{SIDEBAR_URL}}">{{SIDEBAR_TITLE}}</a></h2>
<ul>{{#SIDEBAR}}<li><a href="{{SIDE_URL}}"{{#IS_CURRENT}} aria-current="page"{{/IS_CURRENT}}>{{SIDE_TITLE}}</a></li>{{/SIDEBAR}}</ul>
</aside>
{{/HAS_SIDEBAR}}
</div>
</div>
{{>CONTACT}}
</main>
{{>FOOTER}}
</body>
</html>
