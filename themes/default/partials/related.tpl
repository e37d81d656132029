{{%AUTOESCAPE context="HTML"}}
{{!Related articles (computed at build time from shared tags, keywords and terms), under an article.}}
{{#HAS_RELATED}}
<section class="hg-related" aria-labelledby="hg-related-title">
<h2 id="hg-related-title">{{T_RELATED}}</h2>
<ul class="hg-list">
{{#RELATED}}
<li><a href="{{REL_URL}}">{{REL_TITLE}}</a><p>{{REL_DESCRIPTION}}</p></li>
{{/RELATED}}
</ul>
</section>
{{/HAS_RELATED}}
