{{%AUTOESCAPE context="HTML"}}
{{!Not found. Served at any URL, so ROOT and every URL here are absolute paths.}}
<!doctype html>
<html lang="{{LANG}}" dir="{{DIR}}">
<head>
{{>HEAD}}
</head>
<body class="page-{{PAGE_KIND}}">
{{>HEADER}}
<main id="main" tabindex="-1">
<div class="hg-wrap">
<header class="hg-page-head">
<h1>{{T_NOT_FOUND}}</h1>
<p class="hg-lead">{{T_NOT_FOUND_TEXT}}</p>
</header>
<p><a class="hg-button" href="{{HOME_URL}}">{{T_HOME}}</a></p>
<section aria-labelledby="hg-categories-title">
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
