(function(){
  var rows=[].slice.call(document.querySelectorAll('#units tbody tr'));
  var notok=document.getElementById('f-notok'), flagged=document.getElementById('f-flagged'),
      below=document.getElementById('f-below'), belowOn=document.getElementById('f-below-on'),
      belowValue=document.getElementById('f-below-value'), which=document.getElementById('f-flag'),
      text=document.getElementById('f-text'), shown=document.getElementById('shown');
  function apply(){
    var limit=parseFloat(below.value), name=which.value, needle=text.value.toLowerCase(), count=0;
    belowValue.textContent=limit.toFixed(2);
    rows.forEach(function(tr){
      var d=tr.dataset, show=true, score=d.score===''?null:parseFloat(d.score);
      if(notok.checked&&d.ok==='true')show=false;
      if(flagged.checked&&d.flags==='')show=false;
      if(belowOn.checked&&(score===null||score>=limit))show=false;
      if(name&&(' '+d.flags+' ').indexOf(' '+name+' ')<0)show=false;
      if(needle&&tr.textContent.toLowerCase().indexOf(needle)<0)show=false;
      tr.classList.toggle('hidden',!show); if(show)count++;
    });
    shown.textContent=count+' of '+rows.length+' rows shown';
  }
  [notok,flagged,below,belowOn,which,text].forEach(function(el){el.addEventListener('input',apply);
    el.addEventListener('change',apply);});
  apply();
})();
