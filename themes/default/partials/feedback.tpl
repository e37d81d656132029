{{%AUTOESCAPE context="HTML"}}
{{!"Was this helpful?" under an article. Without JS the votes are a form posted to feedback.endpoint, or}}
{{!mailto links (feedback.mailto). main.js posts JSON instead (fetch with keepalive, else sendBeacon), says}}
{{!thanks in the status line, and on "No" reveals the contact options. No cookies.}}
{{#HAS_FEEDBACK}}
<section class="hg-feedback" aria-labelledby="hg-feedback-title" data-hg-feedback data-hg-page="{{FEEDBACK_PAGE}}" data-hg-url="{{FEEDBACK_URL}}" data-hg-title="{{FEEDBACK_TITLE}}" data-hg-thanks="{{T_THANKS}}"{{#FEEDBACK_FORM}} data-hg-endpoint="{{FEEDBACK_ENDPOINT}}"{{/FEEDBACK_FORM}}>
<h2 id="hg-feedback-title">{{T_WAS_HELPFUL}}</h2>
{{#FEEDBACK_FORM}}
<form class="hg-feedback-votes" method="post" action="{{FEEDBACK_ENDPOINT}}">
<input type="hidden" name="page" value="{{FEEDBACK_PAGE}}">
<input type="hidden" name="url" value="{{FEEDBACK_URL}}">
<input type="hidden" name="title" value="{{FEEDBACK_TITLE}}">
<button type="submit" name="helpful" value="yes" data-hg-vote="yes">{{T_YES}}</button>
<button type="submit" name="helpful" value="no" data-hg-vote="no">{{T_NO}}</button>
</form>
{{/FEEDBACK_FORM}}
{{#FEEDBACK_MAIL_VOTES}}
<p class="hg-feedback-votes"><a href="mailto:{{FEEDBACK_MAILTO}}?subject={{FEEDBACK_SUBJECT_YES}}" data-hg-vote="yes">{{T_YES}}</a> <a href="mailto:{{FEEDBACK_MAILTO}}?subject={{FEEDBACK_SUBJECT_NO}}" data-hg-vote="no">{{T_NO}}</a></p>
{{/FEEDBACK_MAIL_VOTES}}
<p class="hg-feedback-status" role="status" data-hg-feedback-status></p>
<div class="hg-feedback-no" tabindex="-1" data-hg-feedback-no hidden>
<p>{{T_STILL_NEED_HELP}} {{T_CONTACT_INTRO}}</p>
<ul>
{{#FEEDBACK_TELL_US}}
<li><a href="mailto:{{FEEDBACK_MAILTO}}?subject={{FEEDBACK_SUBJECT_NO}}">{{T_TELL_US}}</a></li>
{{/FEEDBACK_TELL_US}}
{{#HAS_CONTACT}}
{{#CONTACT_URL_S}}<li><a href="{{CONTACT_URL}}">{{CONTACT_LABEL}}</a></li>{{/CONTACT_URL_S}}
{{#CONTACT_EMAIL_S}}<li><a href="mailto:{{CONTACT_EMAIL}}">{{CONTACT_EMAIL}}</a></li>{{/CONTACT_EMAIL_S}}
{{#CONTACT_PHONE_S}}<li><a class="hg-tel" href="tel:{{CONTACT_TEL_NUMBER}}">{{CONTACT_PHONE}}</a></li>{{/CONTACT_PHONE_S}}
{{/HAS_CONTACT}}
</ul>
</div>
</section>
{{/HAS_FEEDBACK}}
