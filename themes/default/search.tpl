{{%AUTOESCAPE context="HTML"}}
{{!Search results page (search/index.html). assets/search.js reads ?q= (&category= &tag=), fills [data-hg-search-results]}}
{{!with the results, category and tag filters and a no-results state, and hides [data-hg-search-fallback] when}}
{{!there are results. Without JS (or without a query) the category list below still leads somewhere.}}
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
<h1>{{PAGE_TITLE}}</h1>
</header>
<div id="search-results" data-hg-search-results></div>
<section class="hg-search-fallback" aria-labelledby="hg-categories-title" data-hg-search-fallback>
<h2 id="hg-categories-title">{{T_CATEGORIES}}</h2>
<ul class="hg-list">
{{#CATEGORIES}}
<li>{{#HAS_ICON}}<span class="hg-icon" aria-hidden="true">{{CAT_ICON}}{{CAT_ICON_SVG:none}}</span>{{/HAS_ICON}}<a href="{{CAT_URL}}">{{CAT_TITLE}}</a><p>{{CAT_DESCRIPTION}}</p></li>
{{/CATEGORIES}}
</ul>
</section>
</div>
{{>CONTACT}}
</main>
{{>FOOTER}}
</body>
</html>
