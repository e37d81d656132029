{{%AUTOESCAPE context="HTML"}}
{{!A self-service flow: one page per step (a question with option links) and per outcome (an answer, an article or the contact block). Every page works without JavaScript; flows.js turns the flow into a step-by-step widget that answers in place.}}
<!doctype html>
<html lang="{{LANG}}" dir="{{DIR}}">
<head>
{{>HEAD}}
<link rel="stylesheet" href="{{ASSET_FLOWS_CSS}}">
</head>
<body class="page-{{PAGE_KIND}}">
{{>HEADER}}
<main id="main" tabindex="-1">
<div class="hg-wrap">
{{#HAS_BREADCRUMBS}}
<nav class="hg-crumbs" aria-label="Breadcrumb"><ol>{{#BREADCRUMBS}}<li><a href="{{CRUMB_URL}}">{{CRUMB_TITLE}}</a></li>{{/BREADCRUMBS}}<li aria-current="page">{{CRUMB_CURRENT}}</li></ol></nav>
{{/HAS_BREADCRUMBS}}
<div class="hg-flow" data-hg-flow="{{FLOW_SLUG}}" data-hg-flow-node="{{FLOW_NODE}}" data-hg-flow-start="{{START_URL}}">
<header class="hg-page-head">
<h1>{{FLOW_TITLE}}</h1>
{{#HAS_FLOW_DESCRIPTION}}<p class="hg-lead">{{FLOW_DESCRIPTION}}</p>{{/HAS_FLOW_DESCRIPTION}}
</header>
<div class="hg-flow-body">
{{#HAS_TRAIL}}
<section class="hg-flow-trail" aria-labelledby="hg-flow-trail-title">
<h2 id="hg-flow-trail-title" class="visually-hidden">{{T_FLOW_YOUR_ANSWERS}}</h2>
<ol>{{#TRAIL}}<li><a href="{{TRAIL_URL}}" data-hg-step="{{TRAIL_STEP}}" data-hg-option="{{TRAIL_OPTION}}"><span class="hg-flow-trail-q">{{TRAIL_QUESTION}}</span> <span class="hg-flow-trail-a">{{TRAIL_CHOICE}}</span></a></li>{{/TRAIL}}</ol>
</section>
{{/HAS_TRAIL}}
<section class="hg-flow-step" aria-live="polite">
{{#IS_QUESTION}}
<h2 class="hg-flow-question" tabindex="-1">{{QUESTION}}</h2>
<p class="hg-flow-hint">{{T_FLOW_CHOOSE}}</p>
<ul class="hg-flow-options">
{{#OPTIONS}}
<li><a class="hg-flow-option" href="{{OPTION_URL}}" data-hg-to="{{OPTION_TO}}" data-hg-kind="{{OPTION_KIND}}">{{OPTION_LABEL}}</a></li>
{{/OPTIONS}}
</ul>
{{/IS_QUESTION}}
{{#IS_ANSWER}}
<h2 class="hg-flow-question" tabindex="-1">{{CHOICE}}</h2>
<div class="hg-content hg-flow-answer">
{{ANSWER_HTML:none}}
</div>
{{/IS_ANSWER}}
{{#IS_ARTICLE}}
<h2 class="hg-flow-question" tabindex="-1">{{CHOICE}}</h2>
<p>{{T_FLOW_ARTICLE_INTRO}}</p>
<a class="hg-flow-article" href="{{ARTICLE_URL}}"><span class="hg-flow-article-title">{{ARTICLE_TITLE}}</span>{{#HAS_ARTICLE_DESCRIPTION}}<span class="hg-flow-article-desc">{{ARTICLE_DESCRIPTION}}</span>{{/HAS_ARTICLE_DESCRIPTION}}<span class="hg-flow-article-cta">{{T_FLOW_READ_ARTICLE}}</span></a>
{{/IS_ARTICLE}}
{{#IS_CONTACT}}
<h2 class="hg-flow-question" tabindex="-1">{{CHOICE}}</h2>
<p class="hg-flow-contact">{{T_FLOW_CONTACT_INTRO}}</p>
{{#HAS_CONTACT}}<p><a class="hg-button" href="#hg-contact-title">{{T_STILL_NEED_HELP}}</a></p>{{/HAS_CONTACT}}
{{/IS_CONTACT}}
</section>
{{#NOT_START}}
<p class="hg-flow-actions"><a class="hg-flow-restart" href="{{START_URL}}" data-hg-to="">{{T_FLOW_START_OVER}}</a></p>
{{/NOT_START}}
</div>
</div>
</div>
{{>CONTACT}}
</main>
{{>FOOTER}}
{{FLOW_JSON:none}}
<script src="{{ASSET_FLOWS_JS}}" defer></script>
</body>
</html>
