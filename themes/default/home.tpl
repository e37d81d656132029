{{%AUTOESCAPE context="HTML"}}
{{!Home: hero with the big search form, intro, popular articles, recently viewed (filled by main.js), category cards.}}
<!doctype html>
<html lang="{{LANG}}" dir="{{DIR}}">
<head>
{{>HEAD}}
</head>
<body class="page-{{PAGE_KIND}}">
{{>HEADER}}
<main id="main" tabindex="-1">
<div class="hg-hero">
<h1>{{PAGE_TITLE}}</h1>
<p class="hg-lead">{{PAGE_DESCRIPTION}}</p>
<form class="hg-search hg-search-big" role="search" action="{{SEARCH_URL}}" method="get">
<label for="hg-q-home" class="visually-hidden">{{T_SEARCH}}</label>
<input id="hg-q-home" type="search" name="q" placeholder="{{T_SEARCH_PLACEHOLDER}}" autocomplete="off">
<button type="submit">{{T_SEARCH}}</button>
</form>
</div>
<div class="hg-wrap">
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
{{#HAS_FLOWS}}
<section class="hg-flows" aria-labelledby="hg-flows-title">
<h2 id="hg-flows-title">{{T_FLOWS_TITLE}}</h2>
<ul class="hg-flows-list">
{{#FLOWS}}
<li><a href="{{FLOW_URL}}"><strong>{{FLOW_TITLE}}</strong>{{#HAS_FLOW_DESCRIPTION}}<span>{{FLOW_DESCRIPTION}}</span>{{/HAS_FLOW_DESCRIPTION}}</a></li>
{{/FLOWS}}
</ul>
</section>
{{/HAS_FLOWS}}
<section class="hg-recent" aria-labelledby="hg-recent-title" data-hg-recent-list data-hg-root="{{ROOT}}" hidden>
<h2 id="hg-recent-title">{{T_RECENTLY_VIEWED}}</h2>
<ul class="hg-list"></ul>
</section>
<section aria-labelledby="hg-categories-title">
<h2 id="hg-categories-title">{{T_CATEGORIES}}</h2>
<ul class="hg-cards">
{{#CATEGORIES}}
<li class="hg-card">
<h3 class="hg-card-title">{{#HAS_ICON}}<span class="hg-icon" aria-hidden="true">{{CAT_ICON}}{{CAT_ICON_SVG:none}}</span>{{/HAS_ICON}}<a href="{{CAT_URL}}">{{CAT_TITLE}}</a></h3>
<p>{{CAT_DESCRIPTION}}</p>
<ul class="hg-card-links">{{#CAT_SECTIONS}}<li><a href="{{SEC_URL}}">{{SEC_TITLE}}</a></li>{{/CAT_SECTIONS}}</ul>
<p class="hg-count">{{CAT_COUNT}} {{T_ARTICLES}}</p>
</li>
{{/CATEGORIES}}
</ul>
</section>
{{#HAS_ARTICLES}}
<section aria-labelledby="hg-more-title">
<h2 id="hg-more-title">{{T_MORE_ARTICLES}}</h2>
<ul class="hg-list">
{{#ARTICLES}}
<li><a href="{{ART_URL}}">{{ART_TITLE}}</a><p>{{ART_DESCRIPTION}}</p></li>
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
