{{%AUTOESCAPE context="HTML"}}
{{!A top-level folder: popular articles in it, its sections as cards (first articles of each), then the articles directly in it.}}
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
<header class="hg-page-head">
<h1>{{#HAS_ICON}}<span class="hg-icon" aria-hidden="true">{{NODE_ICON}}{{NODE_ICON_SVG:none}}</span>{{/HAS_ICON}}{{NODE_TITLE}}</h1>
<p class="hg-lead">{{NODE_DESCRIPTION}}</p>
</header>
{{#HAS_INTRO}}
<div class="hg-content hg-intro">{{INTRO_HTML:none}}</div>
{{/HAS_INTRO}}
{{#HAS_PROMOTED}}
<section class="hg-promoted" aria-labelledby="hg-promoted-title">
<h2 id="hg-promoted-title">{{T_PROMOTED}}</h2>
<ul class="hg-list">
{{#PROMOTED}}
<li><a href="{{ART_URL}}">{{ART_TITLE}}</a><span class="hg-crumb">{{ART_BREADCRUMB}}</span><p>{{ART_DESCRIPTION}}</p></li>
{{/PROMOTED}}
</ul>
</section>
{{/HAS_PROMOTED}}
<ul class="hg-cards hg-sections">
{{#CHILDREN}}
<li class="hg-card">
<h2 class="hg-card-title"><a href="{{SEC_URL}}">{{SEC_TITLE}}</a></h2>
<p>{{SEC_DESCRIPTION}}</p>
<ul class="hg-card-links">{{#SEC_ARTICLES}}<li><a href="{{ART_URL}}">{{ART_TITLE}}</a></li>{{/SEC_ARTICLES}}</ul>
{{#HAS_MORE}}
<p class="hg-more"><a href="{{SEC_URL}}">{{T_ARTICLES}} ({{SEC_COUNT}})</a></p>
{{/HAS_MORE}}
</li>
{{/CHILDREN}}
</ul>
{{#HAS_ARTICLES}}
<section class="hg-articles" aria-labelledby="hg-articles-title">
<h2 id="hg-articles-title">{{T_ARTICLES}}</h2>
<ul class="hg-list">
{{#ARTICLES}}
<li><a href="{{ART_URL}}">{{ART_TITLE}}</a>{{#IS_FAQ}} <span class="hg-badge">FAQ</span>{{/IS_FAQ}}{{#IS_PROMOTED}} <span class="hg-badge hg-star"><span aria-hidden="true">★</span><span class="visually-hidden">{{T_PROMOTED}}</span></span>{{/IS_PROMOTED}}<p>{{ART_DESCRIPTION}}</p></li>
{{/ARTICLES}}
</ul>
</section>
{{/HAS_ARTICLES}}
</div>
{{>CONTACT}}
</main>
{{>FOOTER}}
</body>
</html>
