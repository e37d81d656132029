{{%AUTOESCAPE context="HTML"}}
{{!Footer text, generator credit, the search box's strings (read by search.js) and the scripts (both deferred: main.js by defer, search.js as a module).}}
<footer class="hg-footer">
<div class="hg-footer-inner">
<p>{{FOOTER_TEXT}}</p>
<p class="hg-credit">{{GENERATOR}}</p>
</div>
</footer>
<div hidden data-hg-search-strings data-no-results="{{T_SEARCH_NO_RESULTS}}" data-count="{{T_SEARCH_COUNT}}" data-count-one="{{T_SEARCH_COUNT_ONE}}" data-all="{{T_SEARCH_SEE_ALL}}" data-contact="{{T_SEARCH_CONTACT}}" data-more="{{T_SEARCH_MORE}}" data-category="{{T_SEARCH_CATEGORY}}" data-tags="{{T_TAGS}}" data-any="{{T_SEARCH_ANY}}"></div>
<script src="{{ASSET_MAIN_JS}}" defer></script>
<script type="module" src="{{ASSET_SEARCH_JS}}" data-hg-file-classic></script>
{{!Opened from disk (file://) browsers refuse module scripts: load each one's classic twin, NAME.classic.js, instead.}}
<script>if(location.protocol==="file:")document.querySelectorAll("script[data-hg-file-classic]").forEach(function(m){var s=document.createElement("script");s.src=m.src.replace(/\.js$/,".classic.js");document.body.appendChild(s)})</script>
